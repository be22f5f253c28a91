package dev.smsgateway.smpp;

import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.test.SmsProviderCompatibilityKit;
import dev.smsgateway.test.smsc.SmscSimulator;
import dev.smsgateway.test.smsc.SubmitAction;
import java.time.Duration;
import java.util.List;

/** {@link SmppSmsProvider} against the embedded {@link SmscSimulator}. */
class SmppSmsProviderCompatibilityTest extends SmsProviderCompatibilityKit {

  private SmscSimulator smsc;

  @Override
  protected SmsProvider createProvider(ProviderListener listener) throws Exception {
    smsc = SmscSimulator.builder().credentials("kit", "kitpw").build().start();
    SmppSmsProvider p = SmppSmsProvider.builder().name("smpp-kit").host(smsc.host()).port(smsc.port())
        .systemId("kit").password("kitpw").responseTimeout(Duration.ofSeconds(2)).build();
    p.start(listener);
    long deadline = System.nanoTime() + timeout().toNanos();
    while (p.state() != ProviderState.CONNECTED && System.nanoTime() < deadline) {
      // waiting for the real bind on loopback
      Thread.sleep(5);
    }
    return p;
  }

  @Override
  protected void peerSendsInbound(PhoneNumber from, Originator to, String text) {
    int status = smsc.deliverMo(from.e164(), to.address(), text);
    if (status != 0) {
      throw new AssertionError("deliver_sm answered with status " + status);
    }
  }

  @Override
  protected void peerSendsReport(SendReceipt receipt, DeliveryStatus status) {
    String stat = switch (status) {
      case DELIVERED -> "DELIVRD";
      case FAILED -> "UNDELIV";
      case EXPIRED -> "EXPIRED";
      case REJECTED -> "REJECTD";
      case ACCEPTED -> "ENROUTE";
      case SENT -> "ACCEPTD";
      case UNKNOWN -> "UNKNOWN";
    };
    smsc.deliverReceipt(receipt.providerMessageId(), stat);
  }

  @Override
  protected List<PeerSubmission> peerReceived() {
    return smsc.accepted().stream().map(s -> new PeerSubmission(s.destAddr(), s.text())).toList();
  }

  @Override
  protected boolean peerStopsAnswering() {
    smsc.onSubmit(s -> SubmitAction.drop());
    return true;
  }

  @Override
  protected void closePeer() {
    if (smsc != null) {
      smsc.close();
    }
  }

}
