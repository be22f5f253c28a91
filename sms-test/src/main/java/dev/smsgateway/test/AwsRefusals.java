package dev.smsgateway.test;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What AWS answers when it refuses a request's credentials, for loopback stand-ins that test how an SDK error is
 * turned into ours. The worst case is a signature mismatch: AWS quotes the canonical request it expected, with the
 * value of every signed header, so a session token ({@code x-amz-security-token}) comes back in the error message.
 * The messages are JSON-escaped ({@code \\n}), ready to put in a JSON string.
 *
 * <p>Thread-safe (stateless).
 */
public final class AwsRefusals {

  /** The message of UnrecognizedClientException and ExpiredToken-like refusals: no request quoted. */
  public static final String INVALID_TOKEN = "The security token included in the request is invalid.";

  /** How a service encodes its errors. */
  public enum Protocol {
    /** REST-JSON services (Connect, Pinpoint): {@code x-amzn-ErrorType} header, {@code {"message": ...}}. */
    REST_JSON,
    /** AWS-JSON 1.0 services (DynamoDB): {@code {"__type": "...#Type", "message": ...}}. */
    AWS_JSON
  }

  private AwsRefusals() {}

  /**
   * Answers {@code exchange} as AWS does when it refuses the request's credentials; with {@code quote}, the message
   * quotes the canonical request (session token included). Returns the request's {@code X-Amz-Security-Token}, once
   * the answer is sent: the client may already hold it, so a test that counts tokens records them with
   * {@link #refuse(HttpExchange, Protocol, int, String, boolean, java.util.function.Consumer)}.
   */
  public static String refuse(HttpExchange exchange, Protocol protocol, int status, String errorType, boolean quote)
      throws IOException {
    return refuse(exchange, protocol, status, errorType, quote, token -> { });
  }

  /**
   * As {@link #refuse(HttpExchange, Protocol, int, String, boolean)}, handing the request's
   * {@code X-Amz-Security-Token} to {@code tokenSeen} before the answer is sent, so that a client holding the answer
   * can count on the token being recorded.
   */
  public static String refuse(HttpExchange exchange, Protocol protocol, int status, String errorType, boolean quote,
      java.util.function.Consumer<String> tokenSeen) throws IOException {
    tokenSeen.accept(String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Security-Token")));
    try (InputStream in = exchange.getRequestBody()) {
      in.readAllBytes();
    }
    var h = exchange.getRequestHeaders();
    String message = quote
        ? signatureMismatch(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), h::getFirst)
        : INVALID_TOKEN;
    String json = protocol == Protocol.AWS_JSON
        ? "{\"__type\":\"com.amazon.coral.service#" + errorType + "\",\"message\":\"" + message + "\"}"
        : "{\"message\":\"" + message + "\"}";
    byte[] out = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type",
        protocol == Protocol.AWS_JSON ? "application/x-amz-json-1.0" : "application/json");
    exchange.getResponseHeaders().add("x-amzn-RequestId", "req-x2");
    if (protocol == Protocol.REST_JSON) {
      exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
    }
    exchange.sendResponseHeaders(status, out.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(out);
    }
    return String.valueOf(h.getFirst("X-Amz-Security-Token"));
  }

  /**
   * The message of a signature mismatch, quoting the request as AWS does.
   *
   * @param header the request's header values by name (any case), for the signed headers
   */
  public static String signatureMismatch(String method, String path, UnaryOperator<String> header) {
    String signed = header.apply("Authorization").replaceAll(".*SignedHeaders=([^,]+).*", "$1");
    String headers = Stream.of(signed.split(";")).map(h -> h + ":" + header.apply(h))
        .collect(Collectors.joining("\\n"));
    return "The request signature we calculated does not match the signature you provided. Check your AWS Secret"
        + " Access Key and signing method. Consult the service documentation for details.\\n\\nThe Canonical String"
        + " for this request should have been\\n'" + method + "\\n" + path + "\\n\\n" + headers + "\\n\\n" + signed
        + "\\n" + header.apply("x-amz-content-sha256") + "'\\n\\nThe String-to-Sign should have been\\n"
        + "'AWS4-HMAC-SHA256\\n" + header.apply("X-Amz-Date") + "\\n...'";
  }
}
