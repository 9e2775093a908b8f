/** Vouch's error types, each with a stable code. */
package io.vouch.core.error;
