package dev.smsgateway;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway's listeners: each event goes to each in order, and one that throws is logged and contained. */
final class GatewayListeners {

  private static final Logger log = LoggerFactory.getLogger(SmsGateway.class);

  private final List<GatewayListener> listeners;

  GatewayListeners(List<GatewayListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  void notify(Consumer<GatewayListener> event) {
    for (GatewayListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        log.warn("gateway listener {} threw; ignored", l.getClass().getName(), e);
      }
    }
  }
}
