package dev.smsgateway.test;

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

  private AwsRefusals() {}

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
