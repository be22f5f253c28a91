package dev.smsgateway.examples.spring;

import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.OutboundConversation;
import dev.smsgateway.store.TranscriptEntry;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The agent desktop's API: start a conversation by texting a customer; read a transcript. */
@RestController
@RequestMapping("/api/conversations")
class ConversationController {

  /** What an agent sends: who, to whom, what; the business number defaults to the example's. */
  record Start(String agent, String business, String customer, String text, String key) {}

  private final ConversationService conversations;
  private final String businessNumber;

  ConversationController(ConversationService conversations,
      @Value("${example.business-number:+14155550100}") String businessNumber) {
    this.conversations = conversations;
    this.businessNumber = businessNumber;
  }

  @PostMapping
  CompletableFuture<Map<String, String>> start(@RequestBody Start start) {
    String key = start.key() != null ? start.key() : UUID.randomUUID().toString();
    String from = start.business() != null ? start.business() : businessNumber;
    return conversations.startOutbound(start.agent(), from, start.customer(), start.text(), key)
        .thenApply(OutboundConversation::conversationId).thenApply(id -> Map.of("conversationId", id));
  }

  @GetMapping("/{id}/transcript")
  List<TranscriptEntry> transcript(@PathVariable String id) {
    return conversations.transcript(id);
  }
}
