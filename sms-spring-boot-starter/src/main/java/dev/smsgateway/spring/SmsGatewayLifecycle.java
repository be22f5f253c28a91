package dev.smsgateway.spring;

import dev.smsgateway.SmsGateway;
import dev.smsgateway.routing.ConversationService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the gateway with the application context: when the context starts it binds the {@link ConversationService}
 * (if any) to the gateway, starts the gateway (providers connect; SMPP binds) and schedules the conversation sweeps;
 * when the context stops it cancels the sweeps and closes the gateway, which closes the providers and fails what never
 * left (an accepted message is never dropped silently).
 *
 * <p>Phase {@link #PHASE}: it starts before the embedded web server accepts requests (so webhooks find the providers
 * started, not a 503) and stops after the server stopped taking them (so webhooks in progress finish first).
 *
 * <p>Thread-safe (Spring calls start and stop on one thread).
 */
public final class SmsGatewayLifecycle implements SmartLifecycle {

  /** Below the web server's start/stop phase ({@code Integer.MAX_VALUE - 2048} in Spring Boot 3.5). */
  public static final int PHASE = Integer.MAX_VALUE - 4096;

  private static final Logger log = LoggerFactory.getLogger(SmsGatewayLifecycle.class);

  private final SmsGateway gateway;
  private final ConversationService conversations;
  private final Duration sweepInterval;
  private volatile ScheduledExecutorService sweeper;
  private volatile boolean running;

  /**
   * @param gateway the gateway to start and close
   * @param conversations the service to bind to the gateway and sweep, or null
   * @param sweepInterval how often to sweep; null or zero for never
   */
  public SmsGatewayLifecycle(SmsGateway gateway, ConversationService conversations, Duration sweepInterval) {
    this.gateway = gateway;
    this.conversations = conversations;
    this.sweepInterval = sweepInterval;
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    if (conversations != null) {
      conversations.bind(gateway::send);
    }
    gateway.start();
    if (conversations != null && sweepInterval != null && !sweepInterval.isZero() && !sweepInterval.isNegative()) {
      ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sms-conversation-sweeps");
        t.setDaemon(true);
        return t;
      });
      conversations.scheduleSweeps(s, sweepInterval);
      sweeper = s;
    }
    running = true;
    log.info("SMS gateway started");
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    ScheduledExecutorService s = sweeper;
    if (s != null) {
      s.shutdownNow();
      sweeper = null;
    }
    gateway.close();
    log.info("SMS gateway closed");
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  @Override
  public String toString() {
    return "SmsGatewayLifecycle{running=" + running + "}";
  }
}
