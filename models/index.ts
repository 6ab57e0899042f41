/** The demo application: the fixture of the tests, the benchmark and the README. */
import { Address } from './address.ts';
import { Phone } from './phone.ts';
import { Post } from './post.ts';
import { Profile } from './profile.ts';
import { Role } from './role.ts';
import { User } from './user.ts';

export { Address, Phone, Post, Profile, Role, User };

export const demoModels = [User, Phone, Profile, Address, Role, Post];
