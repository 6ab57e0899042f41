/**
 * Links over unique text keys, each written the way issue 14 found them: a bare `hasOne` beside a
 * `belongsTo` that names its own foreign key and owner key. One link each, not two.
 */
import { belongsTo, field, hasOne, type Model, model } from '../../index.ts';

/** `Engine.car` names no key; `Car.engine` holds `engineSerial` → `Engine.serial` (created). */
export function engineCarModels(): Model[] {
  const Engine = model('Engine', {
    fields: { id: field.id(), serial: field.string({ unique: true }) },
    relations: { car: hasOne((): Model => Car) },
  });
  const Car = model('Car', {
    fields: { id: field.id(), name: field.string() },
    relations: { engine: belongsTo(() => Engine, { foreignKey: 'engineSerial', ownerKey: 'serial' }) },
  });
  // An integer foreign key beside them, which stays an `ID`.
  const Wheel = model('Wheel', {
    fields: { id: field.id(), position: field.string() },
    relations: { car: belongsTo(() => Car) },
  });
  return [Engine, Car, Wheel];
}

/** `Country.capital` names no key; `Capital.country` holds the declared `countryCode` → `Country.code`. */
export function countryCapitalModels(): Model[] {
  const Country = model('Country', {
    fields: { id: field.id(), code: field.string({ unique: true }), name: field.string() },
    relations: { capital: hasOne((): Model => Capital) },
  });
  const Capital = model('Capital', {
    fields: { id: field.id(), name: field.string(), countryCode: field.string() },
    relations: { country: belongsTo(() => Country, { foreignKey: 'countryCode', ownerKey: 'code' }) },
  });
  return [Country, Capital];
}
