/**
 * The hub over HTTP: {@link io.vouch.hub.http.HubServer} on the JDK's built-in server (no web
 * framework) and {@link io.vouch.hub.http.HubClient} on {@code java.net.http}, which hash-checks
 * everything it fetches and falls back across peers.
 */
package io.vouch.hub.http;
