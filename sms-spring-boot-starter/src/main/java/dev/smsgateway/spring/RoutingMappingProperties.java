package dev.smsgateway.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sms.routing.mappings[i].*}: one mapping, the same model (and the same checks) as a mapping of the routing YAML
 * file (see docs/sms-routing.md). Plain bean so that Spring generates configuration metadata for every key.
 */
public class RoutingMappingProperties {

  /** The mapping's code, 1-64 of [A-Za-z0-9._~-]. Required. */
  private String code;
  /** A description for people. */
  private String description;
  /** The name of the provider its numbers send through. */
  private String provider;
  /** ISO 3166-1 alpha-2 country for numbers typed by agents, for example US. */
  private String defaultCountry;
  /** QUEUE (agents of this application) or CONTACT_FLOW (Amazon Connect). */
  private String delivery;
  /** How long a reply goes back to the agent who texted first. */
  private Duration originatorTtl;
  /** EUM for an AWS End User Messaging mapping (at most 5 numbers); others hold at most 15. */
  private String providerType;
  /** Idle timeout, system messages and accept timeout. */
  private ChatControl chatControl;
  /** The answers to HELP, STOP and START. */
  private Replies replies;
  /** Custom keywords with canned replies. */
  private final List<Keyword> keywords = new ArrayList<>();
  /** The business numbers of this mapping (up to 15). */
  private final List<Number> numbers = new ArrayList<>();

  public String getCode() {
    return code;
  }

  public void setCode(String code) {
    this.code = code;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public String getProvider() {
    return provider;
  }

  public void setProvider(String provider) {
    this.provider = provider;
  }

  public String getDefaultCountry() {
    return defaultCountry;
  }

  public void setDefaultCountry(String defaultCountry) {
    this.defaultCountry = defaultCountry;
  }

  public String getDelivery() {
    return delivery;
  }

  public void setDelivery(String delivery) {
    this.delivery = delivery;
  }

  public Duration getOriginatorTtl() {
    return originatorTtl;
  }

  public void setOriginatorTtl(Duration originatorTtl) {
    this.originatorTtl = originatorTtl;
  }

  public String getProviderType() {
    return providerType;
  }

  public void setProviderType(String providerType) {
    this.providerType = providerType;
  }

  public ChatControl getChatControl() {
    return chatControl;
  }

  public void setChatControl(ChatControl chatControl) {
    this.chatControl = chatControl;
  }

  public Replies getReplies() {
    return replies;
  }

  public void setReplies(Replies replies) {
    this.replies = replies;
  }

  public List<Keyword> getKeywords() {
    return keywords;
  }

  public List<Number> getNumbers() {
    return numbers;
  }

  /** {@code chat-control.*}. */
  public static class ChatControl {
    /** Whether the system messages below are not sent at all. */
    private Boolean suppressSystemMessages;
    /** An idle conversation ends after this (1 to 60 minutes). */
    private Duration idleTimeout;
    /** How long an originating agent has to accept a reply before it goes to the number's queue. */
    private Duration agentAcceptTimeout;
    /** Sent when a conversation ends for idleness. */
    private String idleTimeoutMessage;
    /** Sent when every agent is at capacity. */
    private String maxChatsMessage;
    /** Sent when an agent joins. */
    private String agentJoinedMessage;
    /** Sent when an agent leaves. */
    private String agentLeftMessage;
    /** Sent when a conversation ends. */
    private String endedMessage;

    public Boolean getSuppressSystemMessages() {
      return suppressSystemMessages;
    }

    public void setSuppressSystemMessages(Boolean suppressSystemMessages) {
      this.suppressSystemMessages = suppressSystemMessages;
    }

    public Duration getIdleTimeout() {
      return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
    }

    public Duration getAgentAcceptTimeout() {
      return agentAcceptTimeout;
    }

    public void setAgentAcceptTimeout(Duration agentAcceptTimeout) {
      this.agentAcceptTimeout = agentAcceptTimeout;
    }

    public String getIdleTimeoutMessage() {
      return idleTimeoutMessage;
    }

    public void setIdleTimeoutMessage(String idleTimeoutMessage) {
      this.idleTimeoutMessage = idleTimeoutMessage;
    }

    public String getMaxChatsMessage() {
      return maxChatsMessage;
    }

    public void setMaxChatsMessage(String maxChatsMessage) {
      this.maxChatsMessage = maxChatsMessage;
    }

    public String getAgentJoinedMessage() {
      return agentJoinedMessage;
    }

    public void setAgentJoinedMessage(String agentJoinedMessage) {
      this.agentJoinedMessage = agentJoinedMessage;
    }

    public String getAgentLeftMessage() {
      return agentLeftMessage;
    }

    public void setAgentLeftMessage(String agentLeftMessage) {
      this.agentLeftMessage = agentLeftMessage;
    }

    public String getEndedMessage() {
      return endedMessage;
    }

    public void setEndedMessage(String endedMessage) {
      this.endedMessage = endedMessage;
    }
  }

  /** {@code replies.*}. */
  public static class Replies {
    /** The answer to HELP. */
    private String help;
    /** The confirmation of STOP. */
    private String optOut;
    /** The confirmation of START. */
    private String optIn;

    public String getHelp() {
      return help;
    }

    public void setHelp(String help) {
      this.help = help;
    }

    public String getOptOut() {
      return optOut;
    }

    public void setOptOut(String optOut) {
      this.optOut = optOut;
    }

    public String getOptIn() {
      return optIn;
    }

    public void setOptIn(String optIn) {
      this.optIn = optIn;
    }
  }

  /** {@code keywords[i].*}. */
  public static class Keyword {
    /** The keyword, matched case-insensitively as the whole message. */
    private String keyword;
    /** The canned reply. */
    private String reply;

    public String getKeyword() {
      return keyword;
    }

    public void setKeyword(String keyword) {
      this.keyword = keyword;
    }

    public String getReply() {
      return reply;
    }

    public void setReply(String reply) {
      this.reply = reply;
    }
  }

  /** {@code numbers[i].*}. */
  public static class Number {
    /** The business number in E.164 (quote it in YAML), a short code or an alphanumeric sender id. */
    private String number;
    /** The name shown to agents. */
    private String displayName;
    /** The skill queue replies go to (QUEUE delivery). */
    private String queue;
    /** The Amazon Connect contact flow (CONTACT_FLOW delivery). */
    private String contactFlowId;
    /** The Amazon Connect phone number ARN for outbound chats. */
    private String connectPhoneNumberArn;
    /** Keywords of this number only. */
    private final List<Keyword> keywords = new ArrayList<>();
    /** This number's own sending rate in parts per second (see the gateway's per-number throttles). */
    private Double partsPerSecond;

    public Double getPartsPerSecond() {
      return partsPerSecond;
    }

    public void setPartsPerSecond(Double partsPerSecond) {
      this.partsPerSecond = partsPerSecond;
    }

    public String getNumber() {
      return number;
    }

    public void setNumber(String number) {
      this.number = number;
    }

    public String getDisplayName() {
      return displayName;
    }

    public void setDisplayName(String displayName) {
      this.displayName = displayName;
    }

    public String getQueue() {
      return queue;
    }

    public void setQueue(String queue) {
      this.queue = queue;
    }

    public String getContactFlowId() {
      return contactFlowId;
    }

    public void setContactFlowId(String contactFlowId) {
      this.contactFlowId = contactFlowId;
    }

    public String getConnectPhoneNumberArn() {
      return connectPhoneNumberArn;
    }

    public void setConnectPhoneNumberArn(String connectPhoneNumberArn) {
      this.connectPhoneNumberArn = connectPhoneNumberArn;
    }

    public List<Keyword> getKeywords() {
      return keywords;
    }
  }
}
