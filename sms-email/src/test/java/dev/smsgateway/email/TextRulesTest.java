package dev.smsgateway.email;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("text rules: quotes, signatures, HTML, subjects")
class TextRulesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      signature separator        | Hello\\n-- \\nAlice                                      | Hello
      bare double dash           | Hello\\n--\\nAlice                                       | Hello
      outlook underscores        | Hello\\n\\n________________________________\\nFrom: x    | Hello
      original message           | Hello\\n-----Original Message-----\\nFrom: x               | Hello
      outlook header block       | Hello\\nFrom: ACME <a@b.c>\\nSent: Monday\\nTo: me          | Hello
      attribution                | Hello\\nOn Mon, 23 Nov 2026, Bob <b@c.d> wrote:\\n> hi      | Hello
      wrapped attribution        | Hello\\nOn Mon, 23 Nov 2026 at 10:00, Bob\\n<b@c.d> wrote: | Hello
      german attribution         | Hallo\\nAm 23.11.2026 um 10:00 schrieb Bob <b@c.d>:        | Hallo
      french attribution         | Salut\\nLe 23 nov. 2026 à 10:00, Bob <b@c.d> a écrit :     | Salut
      iphone                     | Hello\\n\\nSent from my iPhone                             | Hello
      outlook mobile             | Hello\\n\\nGet Outlook for Android                         | Hello
      interleaved quotes dropped | > q1\\nA1\\n> q2\\nA2                                      | A1\\nA2
      blank runs collapse        | A\\n\\n\\n\\nB                                              | A\\n\\nB
      from line alone is kept    | From: the team, thanks                                      | From: the team, thanks
      """)
  void strips(String name, String in, String out) {
    assertThat(ReplyText.strip(in.replace("\\n", "\n"))).isEqualTo(out.replace("\\n", "\n"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      blockquote skipped          | <p>Yes</p><blockquote><p>old</p></blockquote>               | Yes
      nested blockquotes          | A<blockquote>x<blockquote>y</blockquote>z</blockquote>B      | AB
      style and script dropped    | <style>p{}</style><script>x()</script>Hi                     | Hi
      entities                    | caf&eacute; &amp; &#233;&#x1F642; &lt;3                       | café & é🙂 <3
      unknown entity kept         | a &bogus; b                                                   | a &bogus; b
      line breaks                 | a<br>b<div>c</div>d                                           | a\\nb\\nc\\nd
      list items                  | <ul><li>one</li><li>two</li></ul>                              | - one\\n- two
      outlook cut                 | Keep<div id="appendonsend"></div>Drop                         | Keep
      thunderbird cite prefix     | Keep<div class="moz-cite-prefix">On x wrote:</div>             | Keep
      unclosed tag                | Keep <b                                                       | Keep
      comment                     | a<!-- hidden -->b                                             | ab
      """)
  void html(String name, String in, String out) {
    assertThat(ReplyText.strip(HtmlText.toText(in))).isEqualTo(out.replace("\\n", "\n"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      +14155550123                                   | +14155550123
      Re: +14155550123                               | +14155550123
      RE: Fwd: AW: SV: (415) 555-0123                | (415) 555-0123
      Re[2]: SMS from +1 415 555 0123 [ACME Support] | +1 415 555 0123
      SMS to: 07911 123456                           | 07911 123456
      sms: 415.555.0123                              | 415.555.0123
      Lunch?                                         | Lunch?
      """)
  void subjects(String subject, String number) {
    assertThat(SubjectNumber.parse(subject)).isEqualTo(number);
  }

  @Test
  @DisplayName("format=flowed joins soft breaks and removes space-stuffing; delsp removes the space")
  void flowed() {
    assertThat(MimeText.unflow("one \ntwo\n >x\n", false)).isEqualTo("one two\n>x\n");
    assertThat(MimeText.unflow("wo \nrd\n", true)).isEqualTo("word\n");
    assertThat(MimeText.unflow("-- \nsig\n", false)).isEqualTo("-- \nsig\n");
  }

  @Test
  @DisplayName("Authentication-Results: only the trusted server's topmost header counts; a DKIM pass wins")
  void authenticationResults() {
    var m = EmailWorld.email("a@b.c", "d@e.f", "s", "t", x -> {
      try {
        x.addHeader("Authentication-Results", "mx.gw.example.com; spf=pass smtp.mailfrom=b.c;"
            + " dkim=fail header.d=b.c; dkim=pass (2048-bit key) header.d=b.c; dmarc=pass (p=REJECT) header.from=b.c");
        x.addHeader("Authentication-Results", "evil.example; spf=fail; dkim=fail; dmarc=fail");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(AuthenticationResults.verdicts(m, "mx.gw.example.com")).containsExactlyInAnyOrderEntriesOf(
        java.util.Map.of(AuthCheck.SPF, AuthVerdict.PASS, AuthCheck.DKIM, AuthVerdict.PASS, AuthCheck.DMARC,
            AuthVerdict.PASS));
    assertThat(AuthenticationResults.verdicts(m, "evil.example")).containsEntry(AuthCheck.SPF, AuthVerdict.FAIL);
    assertThat(AuthenticationResults.verdicts(m, "other.example")).isEmpty();
  }

  @Test
  @DisplayName("addresses are masked in logs")
  void masking() {
    assertThat(EmailAddresses.mask("alice@agents.example.com")).isEqualTo("a***@agents.example.com");
    assertThat(EmailAddresses.mask("nonsense")).isEqualTo("***");
    assertThat(EmailAddresses.mask(null)).isEqualTo("<none>");
  }
}
