package org.socsecgateway.bcssproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bytes written as they are on a socket (framing RestAssured and the JDK client would never produce), and everything
 * the server sends back until it closes the connection, or until 10 s pass without it doing so.
 */
final class RawHttp {

    private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/\\d\\.\\d (\\d{3})");

    /** What came back, and whether the server closed the connection. */
    record Exchange(String text, boolean closed) {

        /** How many responses (status lines) came back. */
        int responses() {
            Matcher m = STATUS_LINE.matcher(text);
            int n = 0;
            while (m.find()) {
                n++;
            }
            return n;
        }

        /** The status of the first response, or -1. */
        int status() {
            Matcher m = STATUS_LINE.matcher(text);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }

        /** The value of a header of the first response (name case-insensitive), or null. */
        String header(String name) {
            Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*(.*?)\\r?$").matcher(head());
            return m.find() ? m.group(1) : null;
        }

        String head() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? text : text.substring(0, end);
        }

        String body() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? "" : text.substring(end + 4);
        }
    }

    private RawHttp() {
    }

    static Exchange send(int port, String request) throws IOException {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Exchange send(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            boolean closed;
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received.write(buffer, 0, n);
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (IOException e) {
                closed = true; // reset by the server after its answer
            }
            return new Exchange(received.toString(StandardCharsets.ISO_8859_1), closed);
        }
    }
}
