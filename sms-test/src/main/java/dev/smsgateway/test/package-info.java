/**
 * Test support for sms-gateway users and implementers: JUnit 5 compatibility kits that every provider, store and
 * router implementation extends ({@link dev.smsgateway.test.SmsProviderCompatibilityKit},
 * {@link dev.smsgateway.test.OriginatorStoreCompatibilityKit}, {@link dev.smsgateway.test.OptOutStoreCompatibilityKit},
 * {@link dev.smsgateway.test.MessageStoreCompatibilityKit}, {@link dev.smsgateway.test.ConversationStoreCompatibilityKit},
 * {@link dev.smsgateway.test.ConversationRouterCompatibilityKit}); a scriptable
 * {@link dev.smsgateway.test.RecordingSmsProvider}; and a virtual {@link dev.smsgateway.test.MutableClock} with a
 * {@link dev.smsgateway.test.ManualScheduler} so that retries, throttles and TTLs run instantly and deterministically.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
 * ManualScheduler scheduler = new ManualScheduler(clock);
 * RecordingSmsProvider provider = RecordingSmsProvider.builder().name("primary").clock(clock).build();
 * provider.enqueue(Outcome.transportError(), Outcome.accept());
 * SmsGateway gateway = SmsGateway.builder().provider(provider).clock(clock).scheduler(scheduler).build();
 * gateway.start();
 * CompletableFuture<SendReceipt> sent = gateway.send(sms);
 * scheduler.advance(Duration.ofSeconds(1));            // the retry runs
 * assertThat(provider.submitted()).hasSize(2);
 * }</pre>
 */
package dev.smsgateway.test;
