package dev.smsgateway.test;

import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SubmitRequest;
import java.util.ArrayList;
import java.util.List;

class RecordingSmsProviderCompatibilityTest extends SmsProviderCompatibilityKit {

  private RecordingSmsProvider recording;

  @Override
  protected SmsProvider createProvider(ProviderListener listener) {
    recording = RecordingSmsProvider.builder().name("recording").build();
    recording.start(listener);
    return recording;
  }

  @Override
  protected void peerSendsInbound(PhoneNumber from, Originator to, String text) {
    recording.deliverInbound(from, to, text);
  }

  @Override
  protected void peerSendsReport(SendReceipt receipt, DeliveryStatus status) {
    recording.deliverReport(receipt, status);
  }

  @Override
  protected List<PeerSubmission> peerReceived() {
    List<PeerSubmission> out = new ArrayList<>();
    for (SubmitRequest r : recording.submitted()) {
      for (String part : r.plan().parts()) {
        out.add(new PeerSubmission(r.to().e164(), part));
      }
    }
    return out;
  }

  @Override
  protected boolean peerStopsAnswering() {
    recording.enqueue(RecordingSmsProvider.Outcome.pending());
    return true;
  }
}
