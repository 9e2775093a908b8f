package io.vouch.infra.http;

import java.io.IOException;

/**
 * Answers requests. Runs on one of the server's pool threads once a request's whole body has
 * arrived, so it may block (inference, a proof, a chain call); an exception becomes a 500.
 */
@FunctionalInterface
public interface HttpRouter {
  HttpResponse route(HttpRequest request) throws IOException;
}
