package io.vouch.infra.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** A client socket driven byte by byte, as curl, proxies and attackers would. */
final class RawConnection implements AutoCloseable {
  final Socket socket;
  private final PushbackInputStream in;

  private RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new PushbackInputStream(socket.getInputStream(), 1);
  }

  /** Connects to the server on 127.0.0.1 from {@code from} (another loopback address on Linux). */
  static RawConnection open(int port, String from) throws IOException {
    Socket s = new Socket();
    if (from != null) {
      s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    }
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
    s.setSoTimeout(5_000);
    s.setTcpNoDelay(true);
    return new RawConnection(s);
  }

  static RawConnection open(int port) throws IOException {
    return open(port, null);
  }

  RawConnection write(String text) throws IOException {
    return write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawConnection write(byte[] bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes);
    out.flush();
    return this;
  }

  /** One response as text (head and body), read by its Content-Length. */
  String readResponse() throws IOException {
    String h = head(in);
    if (h.startsWith("HTTP/1.1 1")) {
      return h;
    }
    int i = h.toLowerCase(Locale.ROOT).indexOf("content-length: ");
    int length = Integer.parseInt(h.substring(i + 16, h.indexOf("\r\n", i)));
    return h + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  /** The response's head only (for HEAD requests, whose answers have no body). */
  String readHead() throws IOException {
    return head(in);
  }

  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed inside a response head: " + head);
      }
      head.write(c);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** True when the server has closed the connection (end of stream or reset) within 5 s. */
  boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  /** True when the server neither answered nor closed within {@code millis}. */
  boolean stillOpenAfter(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      int b = in.read();
      if (b >= 0) {
        in.unread(b);
      }
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      socket.setSoTimeout(5_000);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
