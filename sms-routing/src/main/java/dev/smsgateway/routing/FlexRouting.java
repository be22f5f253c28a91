package dev.smsgateway.routing;

import dev.smsgateway.SmsValidationException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a {@link Delivery#FLEX} mapping's conversations go in Twilio Flex: the TaskRouter workspace and workflow that
 * route its tasks, the task channel they use, and the Conversations service that holds the conversations.
 *
 * <p>Checked by {@link Mapping.Builder#build()}: every SID has its resource's two-letter prefix and 32 hex digits
 * ({@code WS}, {@code WW}, {@code IS}); the task channel is a task channel SID ({@code TC...}) or its unique name
 * (for example {@code sms}, lower case letters, digits, {@code -} and {@code _}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param workspaceSid the TaskRouter workspace, {@code WS...}
 * @param workflowSid the TaskRouter workflow that routes the mapping's tasks (its queue), {@code WW...}
 * @param taskChannel the task channel: a SID {@code TC...} or a unique name such as {@code sms}
 * @param conversationServiceSid the Conversations service, {@code IS...}
 */
public record FlexRouting(String workspaceSid, String workflowSid, String taskChannel, String conversationServiceSid) {

  private static final Pattern UNIQUE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  /** Whether {@link #taskChannel()} is a SID rather than a unique name. */
  public boolean taskChannelIsSid() {
    return taskChannel.startsWith("TC");
  }

  @Override
  public String toString() {
    return "FlexRouting{workspace=" + workspaceSid + ", workflow=" + workflowSid + ", taskChannel=" + taskChannel
        + ", conversationService=" + conversationServiceSid + "}";
  }

  /** The same settings, stripped, or a {@link SmsValidationException} naming {@code path.<field>}. */
  static FlexRouting check(String path, FlexRouting f) {
    Objects.requireNonNull(f, "flex == null");
    String ws = sid(path + ".workspaceSid", f.workspaceSid, "WS", "TaskRouter workspace");
    String ww = sid(path + ".workflowSid", f.workflowSid, "WW", "TaskRouter workflow");
    String is = sid(path + ".conversationServiceSid", f.conversationServiceSid, "IS", "Conversations service");
    String tc = Checks.required(path + ".taskChannel", f.taskChannel);
    if (tc.startsWith("TC")) {
      sid(path + ".taskChannel", tc, "TC", "TaskRouter task channel");
    } else if (!UNIQUE_NAME.matcher(tc).matches()) {
      throw new SmsValidationException(path + ".taskChannel", "is neither a task channel SID (TC + 32 hex digits) nor"
          + " a task channel unique name (lower case letters, digits, - and _): '" + Checks.abbreviate(tc) + "'");
    }
    return new FlexRouting(ws, ww, tc, is);
  }

  /** Checks a Twilio SID: {@code prefix} then 32 hex digits. */
  static String sid(String field, String value, String prefix, String what) {
    String v = Checks.required(field, value);
    if (!v.matches(prefix + "[0-9a-fA-F]{32}")) {
      throw new SmsValidationException(field, "is not a " + what + " SID (" + prefix + " followed by 32 hex digits): '"
          + Checks.abbreviate(v) + "'");
    }
    return v;
  }
}
