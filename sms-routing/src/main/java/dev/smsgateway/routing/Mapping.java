package dev.smsgateway.routing;

import dev.smsgateway.NumberCheck;
import dev.smsgateway.Originator;
import dev.smsgateway.OriginatorThrottles;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.SmsValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A named group of business numbers on one provider, with its default country, how conversations are delivered,
 * chat control, keyword replies and, per number, a display name and a target.
 *
 * <pre>{@code
 * Mapping sales = Mapping.builder("sales")
 *     .description("Sales line")
 *     .provider("smpp-primary")
 *     .defaultCountry("US")
 *     .delivery(Delivery.QUEUE)
 *     .originatorTtl(Duration.ofHours(24))
 *     .addNumber(n -> n.number("+14155550100").displayName("Acme Sales").queue("sales"))
 *     .keyword("HOURS", "We are open 9-5, Monday to Friday.")
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Mapping {

  /** Amazon Connect and our own limit: a mapping holds at most this many business numbers. */
  public static final int MAX_NUMBERS = 15;
  /** A mapping on an AWS End User Messaging provider ({@link ProviderType#EUM}) holds at most this many. */
  public static final int MAX_EUM_NUMBERS = 5;

  static final Duration MIN_TTL = Duration.ofMinutes(1);
  static final Duration MAX_TTL = Duration.ofDays(30);
  static final int MAX_REPLY_LENGTH = ChatControl.MAX_MESSAGE_LENGTH;
  // StartChatContact / StartOutboundChatContact: ContactFlowId is at most 500 characters.
  private static final Pattern FLOW_ID = Pattern.compile("[A-Za-z0-9_:/.-]{1,500}");
  private static final Pattern PHONE_NUMBER_ARN = Pattern.compile("arn:aws[a-z-]*:connect:[a-z0-9-]+:[0-9]{12}:phone-number/[A-Za-z0-9-]+");
  private static final Pattern KEYWORD = Pattern.compile("[A-Z0-9]{1,30}");

  private final String code;
  private final String description;
  private final String provider;
  private final String defaultCountry;
  private final Delivery delivery;
  private final ChatControl chatControl;
  private final List<BusinessNumber> numbers;
  private final Duration originatorTtl;
  private final List<KeywordRule> keywords;
  private final ProviderType providerType;
  private final String helpReply;
  private final String optOutReply;
  private final String optInReply;
  private final NumberCheck numberCheck;
  private final FlexRouting flex;

  private Mapping(Builder b, List<BusinessNumber> numbers, ChatControl chatControl) {
    this.code = b.code.strip();
    this.description = b.description;
    this.provider = b.provider.strip();
    this.defaultCountry = b.defaultCountry.strip().toUpperCase(Locale.ROOT);
    this.delivery = b.delivery;
    this.numberCheck = b.numberCheck;
    this.chatControl = chatControl;
    this.numbers = List.copyOf(numbers);
    this.originatorTtl = b.originatorTtl;
    this.keywords = List.copyOf(b.keywords);
    this.providerType = b.providerType;
    this.helpReply = b.helpReply;
    this.optOutReply = b.optOutReply;
    this.optInReply = b.optInReply;
    this.flex = b.flex;
  }

  /** A new builder for the mapping with this code. */
  public static Builder builder(String code) {
    return new Builder().code(code);
  }

  /** The mapping's code, unique within a configuration. */
  public String code() {
    return code;
  }

  /** A description for operators; empty when none was given. */
  public Optional<String> description() {
    return Optional.ofNullable(description);
  }

  /** The name of the provider its numbers live on. */
  public String provider() {
    return provider;
  }

  /** The ISO 3166-1 alpha-2 country for reading national numbers, upper case. */
  public String defaultCountry() {
    return defaultCountry;
  }

  /** How its business numbers were checked ({@link Builder#numberCheck}). */
  public NumberCheck numberCheck() {
    return numberCheck;
  }

  /** How conversations are delivered. */
  public Delivery delivery() {
    return delivery;
  }

  /** Where a {@link Delivery#FLEX} mapping's conversations go in Twilio Flex; empty for other deliveries. */
  public Optional<FlexRouting> flex() {
    return Optional.ofNullable(flex);
  }

  /** Idle timeout, system messages, accept timeout. */
  public ChatControl chatControl() {
    return chatControl;
  }

  /** What kind of provider that is; {@link ProviderType#OTHER} unless given. */
  public ProviderType providerType() {
    return providerType;
  }

  /** The business numbers, 1 to {@value #MAX_NUMBERS} ({@value #MAX_EUM_NUMBERS} on an EUM provider). */
  public List<BusinessNumber> numbers() {
    return numbers;
  }

  /** How long an agent's outbound message keeps routing the customer's replies to that agent. Default 24 hours. */
  public Duration originatorTtl() {
    return originatorTtl;
  }

  /** Keywords with canned replies for every number of the mapping. */
  public List<KeywordRule> keywords() {
    return keywords;
  }

  /**
   * Always empty: a mapping has no webhook path of its own (see {@link Builder#webhookPath}).
   *
   * @deprecated nothing ever served or read it; serve each provider's webhook at a path of the application's own
   */
  @Deprecated(forRemoval = true)
  public Optional<String> webhookPath() {
    return Optional.empty();
  }

  /** The reply to HELP and INFO. */
  public String helpReply() {
    return helpReply;
  }

  /** The confirmation sent after an opt-out (unless the provider answers opt-out keywords itself). */
  public String optOutReply() {
    return optOutReply;
  }

  /** The confirmation sent after an opt-in. */
  public String optInReply() {
    return optInReply;
  }

  /** The number with this originator, if it belongs to this mapping. */
  public Optional<BusinessNumber> number(Originator originator) {
    for (BusinessNumber n : numbers) {
      if (n.number().equals(originator)) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  /** A builder holding this mapping's values. */
  public Builder toBuilder() {
    Builder b = new Builder().code(code).description(description).provider(provider).defaultCountry(defaultCountry)
        .delivery(delivery).chatControl(chatControl).originatorTtl(originatorTtl).providerType(providerType)
        .helpReply(helpReply).optOutReply(optOutReply).optInReply(optInReply).numberCheck(numberCheck).flex(flex);
    b.keywords.addAll(keywords);
    for (BusinessNumber n : numbers) {
      BusinessNumber.Builder nb = BusinessNumber.builder().number(n.number().address()).displayName(n.displayName())
          .queue(n.queue().orElse(null)).contactFlowId(n.contactFlowId().orElse(null))
          .connectPhoneNumberArn(n.connectPhoneNumberArn().orElse(null))
          .partsPerSecond(n.partsPerSecond().isPresent() ? n.partsPerSecond().getAsDouble() : null);
      nb.keywords.addAll(n.keywords());
      b.numbers.add(nb);
    }
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Mapping m && code.equals(m.code) && Objects.equals(description, m.description)
        && provider.equals(m.provider) && defaultCountry.equals(m.defaultCountry) && delivery == m.delivery
        && chatControl.equals(m.chatControl) && numbers.equals(m.numbers) && originatorTtl.equals(m.originatorTtl)
        && keywords.equals(m.keywords) && providerType == m.providerType && helpReply.equals(m.helpReply)
        && optOutReply.equals(m.optOutReply) && optInReply.equals(m.optInReply) && Objects.equals(flex, m.flex);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, provider, defaultCountry, delivery, numbers);
  }

  @Override
  public String toString() {
    return "Mapping{code=" + code + ", provider=" + provider + ", defaultCountry=" + defaultCountry + ", delivery="
        + delivery + ", providerType=" + providerType + ", numbers=" + numbers.size() + ", originatorTtl=" + originatorTtl + "}";
  }

  /** Builds {@link Mapping}. Not thread-safe. */
  public static final class Builder {
    private String code;
    private String description;
    private String provider;
    private String defaultCountry;
    private Delivery delivery = Delivery.QUEUE;
    private ChatControl chatControl = ChatControl.defaults();
    private ChatControl.Builder chatControlBuilder;
    private final List<BusinessNumber.Builder> numbers = new ArrayList<>();
    private Duration originatorTtl = Duration.ofHours(24);
    private final List<KeywordRule> keywords = new ArrayList<>();
    private String webhookPath;
    private ProviderType providerType = ProviderType.OTHER;
    private NumberCheck numberCheck = NumberCheck.LIBPHONENUMBER;
    private FlexRouting flex;
    private String helpReply = "Reply STOP to unsubscribe. Msg & data rates may apply.";
    private String optOutReply = "You are unsubscribed and will receive no further messages. Reply START to resubscribe.";
    private String optInReply = "You are resubscribed. Reply STOP to unsubscribe, HELP for help.";

    private Builder() {}

    /** The code, unique within a configuration: 1-64 of {@code [A-Za-z0-9_.-]}. */
    public Builder code(String code) {
      this.code = code;
      return this;
    }

    /** A description for operators. */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** The name of the provider its numbers live on. Required. */
    public Builder provider(String provider) {
      this.provider = provider;
      return this;
    }

    /** The ISO 3166-1 alpha-2 country for reading national numbers. Required. */
    public Builder defaultCountry(String defaultCountry) {
      this.defaultCountry = defaultCountry;
      return this;
    }

    /**
     * How business numbers written in E.164 are checked and classified (long code or toll-free). Default
     * {@link NumberCheck#LIBPHONENUMBER}; {@link NumberCheck#CALLING_CODE_LENGTH} loads no libphonenumber metadata
     * (for short-lived processes such as AWS Lambda functions).
     */
    public Builder numberCheck(NumberCheck numberCheck) {
      this.numberCheck = Objects.requireNonNull(numberCheck, "numberCheck == null");
      return this;
    }

    /** How conversations are delivered. Default {@link Delivery#QUEUE}. */
    public Builder delivery(Delivery delivery) {
      this.delivery = delivery;
      return this;
    }

    /** Where conversations go in Twilio Flex; required when delivery is {@link Delivery#FLEX}, refused otherwise. */
    public Builder flex(FlexRouting flex) {
      this.flex = flex;
      return this;
    }

    /** Chat control. Default {@link ChatControl#defaults()}. */
    public Builder chatControl(ChatControl chatControl) {
      this.chatControl = Objects.requireNonNull(chatControl, "chatControl == null");
      this.chatControlBuilder = null;
      return this;
    }

    /** Chat control, validated with this mapping's field names when the mapping is built. */
    public Builder chatControl(ChatControl.Builder chatControl) {
      this.chatControlBuilder = Objects.requireNonNull(chatControl, "chatControl == null");
      return this;
    }

    /** Adds a business number. */
    public Builder addNumber(Consumer<BusinessNumber.Builder> number) {
      BusinessNumber.Builder b = BusinessNumber.builder();
      Objects.requireNonNull(number, "number == null").accept(b);
      numbers.add(b);
      return this;
    }

    /** Adds a business number. */
    public Builder addNumber(BusinessNumber.Builder number) {
      numbers.add(Objects.requireNonNull(number, "number == null"));
      return this;
    }

    /** How long an agent's outbound message routes replies to that agent. 1 minute to 30 days; default 24 hours. */
    public Builder originatorTtl(Duration originatorTtl) {
      this.originatorTtl = originatorTtl;
      return this;
    }

    /** Adds a keyword with a canned reply for every number of the mapping. */
    public Builder keyword(String keyword, String reply) {
      keywords.add(new KeywordRule(Objects.requireNonNull(keyword, "keyword == null"),
          Objects.requireNonNull(reply, "reply == null")));
      return this;
    }

    /** What kind of provider the numbers live on. Default {@link ProviderType#OTHER}. */
    public Builder providerType(ProviderType providerType) {
      this.providerType = Objects.requireNonNull(providerType, "providerType == null");
      return this;
    }

    /**
     * No longer a setting: {@link #build()} refuses a mapping that sets it, saying so.
     *
     * @deprecated a mapping's webhook path was validated but never served nor read, so inbound traffic never
     *     depended on it. Serve each provider's webhook (the Twilio webhook handler, the SNS handler of sms-eum) at a
     *     path of the application's own, and remove this setting.
     */
    @Deprecated(forRemoval = true)
    public Builder webhookPath(String webhookPath) {
      this.webhookPath = webhookPath;
      return this;
    }

    /** The reply to HELP. */
    public Builder helpReply(String helpReply) {
      this.helpReply = helpReply;
      return this;
    }

    /** The opt-out confirmation. */
    public Builder optOutReply(String optOutReply) {
      this.optOutReply = optOutReply;
      return this;
    }

    /** The opt-in confirmation. */
    public Builder optInReply(String optInReply) {
      this.optInReply = optInReply;
      return this;
    }

    /**
     * Builds and validates the mapping.
     *
     * @throws SmsValidationException naming the field as {@code mappings[<code>].<field>} and the value
     */
    public Mapping build() {
      if (code == null || code.isBlank()) {
        Checks.code("mappings[?].code", code);
      }
      String path = "mappings[" + code.strip() + "]";
      Checks.code(path + ".code", code);
      if (description != null) {
        Checks.text(path + ".description", description, 500);
      }
      Checks.code(path + ".provider", provider);
      String country = Checks.required(path + ".defaultCountry", defaultCountry).toUpperCase(Locale.ROOT);
      if (!PhoneNumbers.isSupportedRegion(country)) {
        throw new SmsValidationException(path + ".defaultCountry",
            "is not an ISO 3166-1 alpha-2 country code: '" + Checks.abbreviate(defaultCountry) + "'");
      }
      if (delivery == null) {
        throw new SmsValidationException(path + ".delivery", "is required (QUEUE, CONTACT_FLOW or FLEX)");
      }
      if (delivery == Delivery.FLEX) {
        if (flex == null) {
          throw new SmsValidationException(path + ".flex", "is required when delivery is FLEX (workspaceSid, workflowSid,"
              + " taskChannel, conversationServiceSid)");
        }
        flex = FlexRouting.check(path + ".flex", flex);
      } else if (flex != null) {
        throw new SmsValidationException(path + ".flex", "must not be set when delivery is " + delivery);
      }
      ChatControl control = chatControlBuilder != null ? chatControlBuilder.build(path + ".chatControl") : chatControl;
      Checks.durationBetween(path + ".originatorTtl", originatorTtl, MIN_TTL, MAX_TTL);
      if (webhookPath != null) {
        throw new SmsValidationException(path + ".webhookPath", "is no longer a setting: no webhook was ever served on it."
            + " Serve each provider's webhook at a path of your own and remove it: '" + Checks.abbreviate(webhookPath) + "'");
      }
      Checks.text(path + ".helpReply", helpReply, MAX_REPLY_LENGTH);
      Checks.text(path + ".optOutReply", optOutReply, MAX_REPLY_LENGTH);
      Checks.text(path + ".optInReply", optInReply, MAX_REPLY_LENGTH);
      checkKeywords(path + ".keywords", keywords);

      int max = providerType == ProviderType.EUM ? MAX_EUM_NUMBERS : MAX_NUMBERS;
      if (numbers.isEmpty() || numbers.size() > max) {
        throw new SmsValidationException(path + ".numbers", "must hold 1 to " + max + " business numbers"
            + (providerType == ProviderType.EUM ? " on an EUM provider" : "") + ": " + numbers.size());
      }
      List<BusinessNumber> built = new ArrayList<>(numbers.size());
      Map<Originator, Integer> seen = new HashMap<>();
      for (int i = 0; i < numbers.size(); i++) {
        String np = path + ".numbers[" + i + "]";
        BusinessNumber n = buildNumber(np, numbers.get(i), country);
        Integer previous = seen.putIfAbsent(n.number(), i);
        if (previous != null) {
          throw new SmsValidationException(np + ".number",
              "repeats numbers[" + previous + "]: " + n.number());
        }
        built.add(n);
      }
      return new Mapping(this, built, control);
    }

    private BusinessNumber buildNumber(String np, BusinessNumber.Builder b, String country) {
      String raw = Checks.required(np + ".number", b.number);
      Originator number;
      try {
        number = Originator.parse(raw, country, numberCheck);
      } catch (SmsValidationException e) {
        throw new SmsValidationException(np + ".number", e.getMessage().substring(e.field().length()).strip());
      }
      String displayName = Checks.text(np + ".displayName", b.displayName, 100);
      String queue = b.queue == null ? null : Checks.code(np + ".queue", b.queue);
      String flow = b.contactFlowId == null ? null : Checks.required(np + ".contactFlowId", b.contactFlowId);
      if (flow != null && !FLOW_ID.matcher(flow).matches()) {
        throw new SmsValidationException(np + ".contactFlowId",
            "is not an Amazon Connect contact flow id: '" + Checks.abbreviate(flow) + "'");
      }
      String arn = b.connectPhoneNumberArn == null ? null : Checks.required(np + ".connectPhoneNumberArn",
          b.connectPhoneNumberArn);
      if (arn != null && !PHONE_NUMBER_ARN.matcher(arn).matches()) {
        throw new SmsValidationException(np + ".connectPhoneNumberArn",
            "is not an Amazon Connect phone number ARN (arn:aws:connect:<region>:<account>:phone-number/<id>): '"
                + Checks.abbreviate(arn) + "'");
      }
      switch (delivery) {
        case QUEUE, FLEX -> {
          if (queue == null) {
            throw new SmsValidationException(np + ".queue", "is required when delivery is " + delivery);
          }
          if (flow != null) {
            throw new SmsValidationException(np + ".contactFlowId",
                "must not be set when delivery is " + delivery + ": '" + Checks.abbreviate(flow) + "'");
          }
        }
        case CONTACT_FLOW -> {
          if (flow == null) {
            throw new SmsValidationException(np + ".contactFlowId", "is required when delivery is CONTACT_FLOW");
          }
          if (queue != null) {
            throw new SmsValidationException(np + ".queue", "must not be set when delivery is CONTACT_FLOW: '" + queue + "'");
          }
        }
      }
      checkKeywords(np + ".keywords", b.keywords);
      Double rate = b.partsPerSecond;
      if (rate != null && !(rate > 0 && rate <= OriginatorThrottles.MAX_PARTS_PER_SECOND)) {
        throw new SmsValidationException(np + ".partsPerSecond", "must be > 0 and <= "
            + (long) OriginatorThrottles.MAX_PARTS_PER_SECOND + ": " + rate);
      }
      return new BusinessNumber(number, displayName, queue, flow, arn, b.keywords, rate);
    }

    private static void checkKeywords(String path, List<KeywordRule> rules) {
      Map<String, Integer> seen = new HashMap<>();
      for (int i = 0; i < rules.size(); i++) {
        KeywordRule rule = rules.get(i);
        String kp = path + "[" + i + "]";
        Checks.required(kp + ".keyword", rule.keyword());
        String normalized = rule.normalizedKeyword();
        if (!KEYWORD.matcher(normalized).matches()) {
          throw new SmsValidationException(kp + ".keyword",
              "must be 1-30 letters or digits (spaces and punctuation are ignored): '" + Checks.abbreviate(rule.keyword()) + "'");
        }
        KeywordClassifier.Match reserved = KeywordClassifier.standard().classify(rule.keyword()).orElse(null);
        if (reserved != null) {
          throw new SmsValidationException(kp + ".keyword",
              "is reserved for " + reserved.kind() + " (carrier rules): '" + rule.keyword() + "'");
        }
        Integer previous = seen.putIfAbsent(normalized, i);
        if (previous != null) {
          throw new SmsValidationException(kp + ".keyword", "repeats " + path + "[" + previous + "]: '" + rule.keyword() + "'");
        }
        Checks.text(kp + ".reply", rule.reply(), MAX_REPLY_LENGTH);
      }
    }
  }
}
