package dev.smsgateway.routing;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.GatewayListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which conversation each message the service sent belongs to, so that delivery reports reach the
 * {@link ConversationListener} with their conversation; reports that overtake the send's future are parked until the
 * message is linked. Both maps are bounded. Thread-safe.
 */
final class MessageLinks implements GatewayListener {

  private static final int MAX_TRACKED_MESSAGES = 100_000;

  /** Where linked reports go. */
  interface Sink {
    void report(String conversationId, DeliveryReport report, DeliveryStatus merged);
  }

  private final Sink sink;
  // Finds the conversation of a message this instance did not link (another instance sent it); returns null if none.
  private final Function<String, String> elsewhere;
  private final Map<String, String> messageConversations = Collections.synchronizedMap(bounded());
  // Delivery reports that overtook the send's future (an SMSC can answer with a receipt before the response has
  // been handed to us): kept until the message is linked to its conversation.
  private final Map<String, List<EarlyReport>> earlyReports = bounded();

  private record EarlyReport(DeliveryReport report, DeliveryStatus merged) {}

  MessageLinks(Sink sink) {
    this(sink, messageId -> null);
  }

  /**
   * With {@code elsewhere}: a report for a message this instance never linked is first looked up there (the stores
   * another instance wrote when it sent the message) before it is parked for a link.
   */
  MessageLinks(Sink sink, Function<String, String> elsewhere) {
    this.sink = sink;
    this.elsewhere = elsewhere;
  }

  private static <V> Map<String, V> bounded() {
    return new LinkedHashMap<>(1024, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > MAX_TRACKED_MESSAGES;
      }
    };
  }

  /** Links a sent message to its conversation, and reports what arrived for it before the link. */
  void link(String messageId, String conversationId) {
    List<EarlyReport> early;
    synchronized (earlyReports) {
      messageConversations.put(messageId, conversationId);
      early = earlyReports.remove(messageId);
    }
    if (early != null) {
      for (EarlyReport e : early) {
        if (e.merged().isFinal()) {
          messageConversations.remove(messageId);
        }
        sink.report(conversationId, e.report(), e.merged());
      }
    }
  }

  @Override
  public void onDeliveryReport(DeliveryReport report, DeliveryStatus merged) {
    String messageId = report.messageId().orElse(null);
    if (messageId == null) {
      return;
    }
    String conversationId = linked(messageId, merged);
    if (conversationId == null) {
      conversationId = elsewhere.apply(messageId); // sent by another instance?
      if (conversationId == null) {
        synchronized (earlyReports) {
          conversationId = linked(messageId, merged);
          if (conversationId == null) {
            // Not linked yet (or not ours): park it; link reports it once the send's future completes.
            earlyReports.computeIfAbsent(messageId, k -> new ArrayList<>(2)).add(new EarlyReport(report, merged));
            return;
          }
        }
      }
    }
    sink.report(conversationId, report, merged);
  }

  private String linked(String messageId, DeliveryStatus merged) {
    synchronized (earlyReports) {
      return merged.isFinal() ? messageConversations.remove(messageId) : messageConversations.get(messageId);
    }
  }

  @Override
  public String toString() {
    return "ConversationService.gatewayListener";
  }
}
