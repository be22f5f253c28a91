package dev.smsgateway.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** The smallest Spring Boot application: auto-configuration and a ConversationListener that records events. */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestApp {

  @Bean
  ConversationRecorder conversationRecorder() {
    return new ConversationRecorder();
  }
}
