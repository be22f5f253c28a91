package dev.smsgateway.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an {@link SmsPropertyException} into Spring Boot's start-up failure report, naming the property. */
public final class SmsPropertyFailureAnalyzer extends AbstractFailureAnalyzer<SmsPropertyException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, SmsPropertyException cause) {
    return new FailureAnalysis("Invalid SMS gateway setting: " + cause.getMessage(),
        "Correct the property '" + cause.property() + "' (see docs/spring-boot.md for every sms.* setting).", cause);
  }
}
