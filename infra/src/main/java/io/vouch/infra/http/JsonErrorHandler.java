package io.vouch.infra.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives itself (a head it cannot parse: 400, 414, 417, 431, 505; a failed
 * request: 500) in the caller's error format instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
  private final ErrorAnswer errors;

  JsonErrorHandler(ErrorAnswer errors) {
    this.errors = errors;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (request.getConnectionMetaData().getConnection().getEndPoint() instanceof GuardedEndPoint g
        && g.stage() == GuardedEndPoint.Stage.CLOSED) {
      // a deadline, an eviction or a refusal has answered (408, 503) and is closing the connection:
      // a second answer written beside its own would reach the client first or interleave with it
      callback.failed(new EofException("the connection was closed by the server's limits"));
      return true;
    }
    int status = request.getAttribute(ERROR_STATUS) instanceof Integer s ? s : response.getStatus();
    if (status < 400) {
      status = HttpStatus.INTERNAL_SERVER_ERROR_500;
    }
    String detail =
        request.getAttribute(ERROR_EXCEPTION) instanceof HttpException h
            ? h.getReason()
            : (String) request.getAttribute(ERROR_MESSAGE);
    String reason = HttpStatus.getMessage(status);
    String message =
        detail == null || detail.isBlank() || detail.equals(reason)
            ? reason
            : reason + ": " + detail;
    HttpResponse answer = errors.answer(status, message);
    response.setStatus(status);
    HttpFields.Mutable h = response.getHeaders();
    answer.headers().forEach(h::put);
    h.put(HttpHeader.CONTENT_LENGTH, answer.body().length);
    // what Jetty answers itself it cannot frame or could not finish: the connection ends here
    h.put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE);
    response.write(true, ByteBuffer.wrap(answer.body()), callback);
    return true;
  }
}
