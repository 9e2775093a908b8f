/** JSON forms of core types for the HTTP API, the SDK and the CLI. */
package io.vouch.core.json;
