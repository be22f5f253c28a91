package dev.smsgateway.smpp;

import dev.smsgateway.Originator;
import dev.smsgateway.smpp.SmppSmsProvider.BindMode;
import dev.smsgateway.smpp.SmppSmsProvider.LongMessageMode;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of one {@link SmppSmsProvider}, checked and copied by {@link SmppSmsProvider.Builder#build()}; read
 * by the bind supervisor, the submit pipeline and the inbound handler. Not changed after build.
 */
final class SmppConfig {
  String name;
  String host;
  int port;
  String systemId;
  String password;
  String systemType;
  String addressRange;
  String serviceType;
  BindMode bindMode;
  int binds;
  int window;
  int partsPerSecond;
  Duration enquireLinkInterval;
  Duration responseTimeout;
  Duration bindTimeout;
  Duration throttlePause;
  int queueCapacity;
  Duration queueTimeout;
  LongMessageMode longMessageMode;
  boolean latin1;
  boolean gsmDefaultAlphabet;
  Originator defaultOriginator;
  String defaultRegion;
  java.util.function.Function<Originator, Optional<String>> inboundRegions;
  int messageIdTag;
  Duration multipartTimeout;
  int maxPendingMultipart;
  Duration receiptWait;
  int correlationCapacity;
  int pduThreads;
  int maxPduLength;
  Map<Originator.Kind, int[]> tonNpi;
  int[] destTonNpi;
  Clock clock;
  Backoff backoff;
  Sleeper sleeper;
  NoDelayConnectionFactory connectionFactory;
}
