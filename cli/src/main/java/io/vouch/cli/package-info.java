/** The {@code vouch} command line. Depends on sdk and node; nothing depends on it but bench. */
package io.vouch.cli;
