export * from './address.js';
export * from './customer.js';
export * from './field-errors.js';
export * from './group.js';
export * from './ids.js';
export * from './messages.js';
export * from './phone.js';
export * from './settings.js';
