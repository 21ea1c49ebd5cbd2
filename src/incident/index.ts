/**
 * Incident management, charter 3.1.
 *
 * @module incident
 */
export {};
