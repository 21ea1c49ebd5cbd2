export * from './available.js';
export * from './create.js';
export * from './decide.js';
export * from './definition.js';
export * from './history.js';
export * from './mermaid.js';
