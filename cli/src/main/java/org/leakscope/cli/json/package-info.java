/**
 * The JSON output schema as Jackson records: these classes are the contract documented in docs/json.md.
 * Changing a field name or meaning is a schema version bump; adding a nullable field is not.
 * Addresses are zero-padded hex strings; counts and sizes are JSON numbers.
 */
package org.leakscope.cli.json;
