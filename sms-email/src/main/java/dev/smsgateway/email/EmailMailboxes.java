package dev.smsgateway.email;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which email address stands for which business number: an agent texts from a business number by writing to its
 * address (for example {@code sms+support@example.com} for the support line, {@code sms+sales@example.com} for
 * sales), and customers' replies are emailed from that address, so the agent's answer goes back to it.
 *
 * <pre>{@code
 * EmailMailboxes mailboxes = EmailMailboxes.builder()
 *     .mailbox("sms+support@example.com", "+14155550100")
 *     .mailbox("sms+sales@example.com", "+14155550111")
 *     .build();
 * }</pre>
 *
 * <p>Addresses compare case-insensitively. A business number may have one address; the numbers are checked against
 * the routing configuration when the {@link EmailOrigination} is built.
 *
 * <p>Immutable and thread-safe.
 */
public final class EmailMailboxes {

  private final Map<String, String> numberByAddress;
  private final Map<String, String> addressByNumber;

  private EmailMailboxes(Map<String, String> numberByAddress, Map<String, String> addressByNumber) {
    this.numberByAddress = Map.copyOf(numberByAddress);
    this.addressByNumber = Map.copyOf(addressByNumber);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The business number (as configured) of the first of {@code recipients} that is a mailbox here. */
  public Optional<String> businessNumberFor(List<String> recipients) {
    for (String r : recipients) {
      String number = numberByAddress.get(EmailAddresses.normalize(r));
      if (number != null) {
        return Optional.of(number);
      }
    }
    return Optional.empty();
  }

  /** The address of {@code businessNumber} (compared as configured and in E.164), if it has one. */
  public Optional<String> addressFor(String businessNumber) {
    return Optional.ofNullable(addressByNumber.get(compact(businessNumber)));
  }

  /** Whether {@code address} is one of the mailboxes (mail from there is never answered: that would loop). */
  public boolean isMailbox(String address) {
    return numberByAddress.containsKey(EmailAddresses.normalize(address));
  }

  /** Every mailbox address and its business number as configured. */
  public Map<String, String> asMap() {
    return numberByAddress;
  }

  @Override
  public String toString() {
    return "EmailMailboxes{" + numberByAddress.size() + " addresses}";
  }

  static String compact(String number) {
    StringBuilder sb = new StringBuilder();
    for (char c : number.strip().toCharArray()) {
      if (Character.isLetterOrDigit(c) || c == '+') {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Builds {@link EmailMailboxes}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> numberByAddress = new LinkedHashMap<>();
    private final Map<String, String> addressByNumber = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Mail to {@code address} texts from {@code businessNumber}; replies from that number are emailed from
     * {@code address}.
     *
     * @throws IllegalArgumentException if the address is not an address, or the address or number is listed twice
     */
    public Builder mailbox(String address, String businessNumber) {
      Objects.requireNonNull(address, "address == null");
      Objects.requireNonNull(businessNumber, "businessNumber == null");
      String a = EmailAddresses.normalize(address);
      int at = a.indexOf('@');
      if (at < 1 || at != a.lastIndexOf('@') || at == a.length() - 1 || a.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("mailbox address is not an email address: '" + address + "'");
      }
      if (businessNumber.isBlank()) {
        throw new IllegalArgumentException("business number of mailbox " + address + " is blank");
      }
      if (numberByAddress.putIfAbsent(a, businessNumber.strip()) != null) {
        throw new IllegalArgumentException("mailbox " + address + " is listed twice");
      }
      if (addressByNumber.putIfAbsent(compact(businessNumber), address.strip()) != null) {
        throw new IllegalArgumentException("business number " + dev.smsgateway.PhoneNumbers.mask(businessNumber)
            + " has two mailboxes; give each number one address");
      }
      return this;
    }

    /**
     * Builds the mailboxes.
     *
     * @throws IllegalStateException if none was given
     */
    public EmailMailboxes build() {
      if (numberByAddress.isEmpty()) {
        throw new IllegalStateException("no mailbox: add mailbox(address, businessNumber) for each business number"
            + " agents may text from");
      }
      return new EmailMailboxes(numberByAddress, addressByNumber);
    }
  }
}
