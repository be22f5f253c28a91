package dev.smsgateway.email;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads an email the way the origination needs it: who sent it, to which address, the subject, the thread, the text
 * the sender typed, and whether it carries files.
 *
 * <p>Which part is the text: in {@code multipart/alternative} the {@code text/plain} alternative (the HTML one only
 * when there is none, converted by {@link HtmlText}); in {@code multipart/related} the root part (the others are
 * images and styles the HTML refers to, such as a signature logo, and are ignored); in {@code multipart/signed} the
 * signed part (the signature is ignored); in {@code multipart/mixed} and any other multipart, every inline text part
 * in order, joined by blank lines, and every other part is an attachment. A part with
 * {@code Content-Disposition: attachment} or a file name, any non-text part outside {@code multipart/related}, and an
 * attached message ({@code message/rfc822}) count as attachments. Transfer encodings (quoted-printable, base64) are
 * undone by Jakarta Mail. The charset is the part's {@code charset} parameter; a part without one (or declaring
 * US-ASCII) that holds valid UTF-8 is read as UTF-8, else as windows-1252; a charset Java does not know is a problem
 * the sender is told about. {@code text/plain; format=flowed} (RFC 3676) is unwrapped.
 *
 * <p>Never throws for malformed mail: what cannot be read is reported in {@link ParsedEmail#problem()}.
 *
 * <p>Thread-safe (stateless).
 */
final class MimeText {

  /** Nesting deeper than this is refused (real clients nest 3 to 4 levels). */
  static final int MAX_DEPTH = 12;
  /** The most bytes read from one text part. */
  static final int MAX_PART_BYTES = 1 << 20;

  private MimeText() {}

  static ParsedEmail parse(MimeMessage message) {
    String messageId = header(message, "Message-ID");
    if (messageId != null) {
      messageId = messageId.strip();
    }
    List<String> from = addresses(message, "From");
    Set<String> recipients = new LinkedHashSet<>();
    for (String h : new String[] {"Delivered-To", "X-Original-To", "To", "Cc"}) {
      recipients.addAll(addresses(message, h));
    }
    String subject;
    try {
      subject = message.getSubject();
    } catch (MessagingException | RuntimeException e) {
      subject = header(message, "Subject");
    }
    subject = subject == null ? "" : subject.strip();
    List<String> references = new ArrayList<>();
    for (String h : new String[] {"In-Reply-To", "References"}) {
      String value = header(message, h);
      if (value != null) {
        for (String token : value.split("[\\s,]+")) {
          String id = token.strip();
          if (id.startsWith("<") && id.endsWith(">") && id.length() > 2) {
            references.add(id.substring(1, id.length() - 1));
          }
        }
      }
    }
    Body body = new Body();
    try {
      walk(message, body, 0, false);
    } catch (MessagingException | IOException | RuntimeException e) {
      body.problem = body.problem != null ? body.problem : "its MIME structure could not be read ("
          + e.getClass().getSimpleName() + ")";
    }
    String text = ReplyText.strip(String.join("\n\n", body.texts));
    return new ParsedEmail(messageId, from, List.copyOf(recipients), subject, references, text, body.attachments,
        body.problem);
  }

  private static final class Body {
    final List<String> texts = new ArrayList<>();
    final List<String> attachments = new ArrayList<>();
    String problem;
  }

  private static void walk(Part part, Body body, int depth, boolean resource) throws MessagingException, IOException {
    if (depth > MAX_DEPTH) {
      body.problem = "its MIME parts are nested more than " + MAX_DEPTH + " levels deep";
      return;
    }
    ContentType type = contentType(part);
    String base = type.getBaseType().toLowerCase(Locale.ROOT);
    if (base.startsWith("multipart/")) {
      Object content = part.getContent();
      if (!(content instanceof Multipart mp)) {
        body.problem = "a multipart part has no readable parts";
        return;
      }
      String sub = type.getSubType().toLowerCase(Locale.ROOT);
      int count = mp.getCount();
      switch (sub) {
        case "alternative" -> {
          BodyPart chosen = null;
          for (int i = 0; i < count && chosen == null; i++) {
            if (isType(mp.getBodyPart(i), "text/plain")) {
              chosen = mp.getBodyPart(i);
            }
          }
          for (int i = count - 1; i >= 0 && chosen == null; i--) {
            BodyPart p = mp.getBodyPart(i);
            if (isType(p, "text/html") || isType(p, "multipart/related") || isType(p, "multipart/mixed")) {
              chosen = p;
            }
          }
          if (chosen == null && count > 0) {
            chosen = mp.getBodyPart(0);
          }
          if (chosen != null) {
            walk(chosen, body, depth + 1, false);
          }
        }
        case "related" -> {
          String start = type.getParameter("start");
          int root = 0;
          for (int i = 0; start != null && i < count; i++) {
            String[] ids = mp.getBodyPart(i).getHeader("Content-ID");
            if (ids != null && ids.length > 0 && ids[0].strip().equals(start.strip())) {
              root = i;
            }
          }
          for (int i = 0; i < count; i++) {
            walk(mp.getBodyPart(i), body, depth + 1, i != root);
          }
        }
        case "signed" -> {
          if (count > 0) {
            walk(mp.getBodyPart(0), body, depth + 1, false);
          }
        }
        default -> {
          for (int i = 0; i < count; i++) {
            walk(mp.getBodyPart(i), body, depth + 1, false);
          }
        }
      }
      return;
    }
    if (resource && !isAttachmentDisposition(part)) {
      return; // an image or style the HTML root refers to (a signature logo)
    }
    boolean text = base.equals("text/plain") || base.equals("text/html");
    if (!text || isAttachmentDisposition(part) || fileName(part) != null) {
      String name = fileName(part);
      body.attachments.add(name != null ? name : base);
      return;
    }
    String decoded = read(part, type, body);
    if (decoded == null) {
      return;
    }
    if (base.equals("text/html")) {
      decoded = HtmlText.toText(decoded);
    } else if ("flowed".equalsIgnoreCase(type.getParameter("format"))) {
      decoded = unflow(decoded, "yes".equalsIgnoreCase(type.getParameter("delsp")));
    }
    body.texts.add(decoded);
  }

  private static String read(Part part, ContentType type, Body body) throws MessagingException {
    byte[] bytes;
    try (InputStream in = part.getInputStream()) {
      bytes = in.readNBytes(MAX_PART_BYTES);
    } catch (IOException | RuntimeException e) {
      body.problem = "a text part could not be decoded (" + e.getClass().getSimpleName() + ")";
      return null;
    }
    String declared = type.getParameter("charset");
    if (declared == null || declared.isBlank() || declared.strip().equalsIgnoreCase("us-ascii")) {
      String utf8 = strictUtf8(bytes);
      return utf8 != null ? utf8 : new String(bytes, Charset.forName("windows-1252"));
    }
    String javaName = MimeUtility.javaCharset(declared.strip());
    try {
      return new String(bytes, Charset.forName(javaName));
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      body.problem = "its charset '" + abbreviate(declared.strip()) + "' is not supported; send it as UTF-8";
      return null;
    }
  }

  private static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** RFC 3676 section 4.2: a line ending in a space continues on the next; space-stuffing is removed. */
  static String unflow(String text, boolean delsp) {
    String[] lines = text.replace("\r\n", "\n").split("\n", -1);
    StringBuilder out = new StringBuilder(text.length());
    int count = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
    for (int i = 0; i < count; i++) {
      String raw = lines[i];
      String line = raw.startsWith(" ") ? raw.substring(1) : raw;
      boolean soft = line.endsWith(" ") && !line.equals("-- ");
      if (soft) {
        out.append(delsp ? line.substring(0, line.length() - 1) : line);
      } else {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  private static boolean isType(Part part, String baseType) throws MessagingException {
    return contentType(part).getBaseType().equalsIgnoreCase(baseType);
  }

  private static ContentType contentType(Part part) {
    try {
      String raw = part.getContentType();
      return raw == null ? new ContentType("text/plain") : new ContentType(raw);
    } catch (MessagingException | RuntimeException e) {
      try {
        return new ContentType("application/octet-stream"); // unreadable type: treated as a file
      } catch (ParseException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
  }

  private static boolean isAttachmentDisposition(Part part) {
    try {
      return Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition());
    } catch (MessagingException | RuntimeException e) {
      return false;
    }
  }

  private static String fileName(Part part) {
    try {
      String name = part.getFileName();
      return name == null || name.isBlank() ? null : abbreviate(MimeUtility.decodeText(name));
    } catch (MessagingException | IOException | RuntimeException e) {
      return null;
    }
  }

  private static String header(MimeMessage message, String name) {
    try {
      return message.getHeader(name, " ");
    } catch (MessagingException | RuntimeException e) {
      return null;
    }
  }

  private static List<String> addresses(MimeMessage message, String name) {
    List<String> out = new ArrayList<>();
    String value = header(message, name);
    if (value == null) {
      return out;
    }
    try {
      for (Address a : InternetAddress.parseHeader(value, false)) {
        if (a instanceof InternetAddress ia && ia.getAddress() != null && !ia.getAddress().isBlank()) {
          out.add(EmailAddresses.normalize(ia.getAddress()));
        }
      }
    } catch (AddressException | RuntimeException e) {
      // an unreadable header yields no address; the origination refuses a message without a sender
    }
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
