/**
 * The HTTP/1.1 server of Vouch's services ({@link io.vouch.infra.http.HttpServer}): Jetty 12 core
 * behind our own request and response records, with the limits of issue 9 (framing, memory, slow
 * and numerous clients). Jetty appears only in this package; callers see {@link
 * io.vouch.infra.http.HttpRouter}, {@link io.vouch.infra.http.HttpRequest}, {@link
 * io.vouch.infra.http.HttpResponse}, {@link io.vouch.infra.http.HttpLimits}, {@link
 * io.vouch.infra.http.BodyLimit} and {@link io.vouch.infra.http.ErrorAnswer}.
 */
package io.vouch.infra.http;
