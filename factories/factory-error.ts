/** A factory asked for something the models cannot hold; the message names the model, relation and fix. */
export class FactoryError extends Error {
  override name = 'FactoryError';
}
