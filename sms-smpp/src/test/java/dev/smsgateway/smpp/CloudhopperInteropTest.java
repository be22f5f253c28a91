package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudhopper.commons.util.windowing.WindowFuture;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppServerConfiguration;
import com.cloudhopper.smpp.SmppServerHandler;
import com.cloudhopper.smpp.SmppServerSession;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.impl.DefaultSmppServer;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.BaseBind;
import com.cloudhopper.smpp.pdu.BaseBindResp;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;
import com.cloudhopper.smpp.type.SmppProcessingException;
import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SubmitRequest;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Interoperability with an SMPP implementation that is neither ours nor jsmpp: cloudhopper-smpp's server
 * ({@code com.fizzed:ch-smpp} 5.0.9) in-process on loopback. Bind, submit a long UCS-2 message, receive an MO and a
 * delivery receipt.
 */
class CloudhopperInteropTest {

  @Test
  void bindSubmitLongUcs2ReceiveMoAndReceipt() throws Exception {
    List<SubmitSm> submits = new CopyOnWriteArrayList<>();
    AtomicReference<SmppServerSession> session = new AtomicReference<>();
    AtomicInteger ids = new AtomicInteger(0xA000);
    SmppServerHandler handler = new SmppServerHandler() {
      @Override
      public void sessionBindRequested(Long id, SmppSessionConfiguration config, BaseBind bind)
          throws SmppProcessingException {
        if (!"esme".equals(config.getSystemId()) || !"pw".equals(config.getPassword())) {
          throw new SmppProcessingException(SmppConstants.STATUS_INVPASWD);
        }
      }

      @Override
      public void sessionCreated(Long id, SmppServerSession s, BaseBindResp resp) {
        s.serverReady(new DefaultSmppSessionHandler() {
          @Override
          public PduResponse firePduRequestReceived(PduRequest request) {
            if (request instanceof SubmitSm submit) {
              submits.add(submit);
              SubmitSmResp r = submit.createResponse();
              r.setMessageId(Integer.toHexString(ids.getAndIncrement()));
              return r;
            }
            return request.createResponse();
          }
        });
        session.set(s);
      }

      @Override
      public void sessionDestroyed(Long id, SmppServerSession s) {
        s.destroy();
      }
    };
    int port;
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = probe.getLocalPort();
    }
    SmppServerConfiguration config = new SmppServerConfiguration();
    config.setHost("127.0.0.1");
    config.setPort(port);
    config.setSystemId("cloudhopper");
    config.setNonBlockingSocketsEnabled(true);
    config.setDefaultRequestExpiryTimeout(10_000);
    config.setJmxEnabled(false);
    DefaultSmppServer server = new DefaultSmppServer(config, handler);
    server.start();
    RecordingListener listener = new RecordingListener();
    SmppSmsProvider provider = SmppSmsProvider.builder().host("127.0.0.1").port(port).systemId("esme").password("pw")
        .defaultOriginator(Originator.longCode(PhoneNumber.of("+14155550100"))).responseTimeout(Duration.ofSeconds(5))
        .build();
    try {
      provider.start(listener);
      assertThat(RecordingListener.await(() -> provider.state() == ProviderState.CONNECTED, Duration.ofSeconds(10)))
          .isTrue();

      String text = "Здравствуйте! Ваш заказ №4711 отправлен 🚚 и прибудет завтра с 9 до 12 часов. Спасибо!";
      SendReceipt receipt = provider.send(SubmitRequest.builder().messageId("ours-1")
          .to(PhoneNumber.of("+4915112345678")).body(text).build()).get(10, TimeUnit.SECONDS);
      assertThat(receipt.parts()).isEqualTo(2);
      assertThat(submits).hasSize(2);
      ByteArrayOutputStream joined = new ByteArrayOutputStream();
      for (int i = 0; i < submits.size(); i++) {
        SubmitSm s = submits.get(i);
        assertThat(s.getDataCoding()).isEqualTo((byte) 0x08);
        assertThat(s.getEsmClass() & 0x40).isEqualTo(0x40);
        assertThat(s.getDestAddress().getAddress()).isEqualTo("4915112345678");
        assertThat(s.getDestAddress().getTon()).isEqualTo((byte) 1);
        byte[] sm = s.getShortMessage();
        assertThat(Arrays.copyOfRange(sm, 0, 6)).containsExactly(5, 0, 3, sm[3], 2, i + 1);
        joined.write(sm, 6, sm.length - 6);
      }
      assertThat(new String(joined.toByteArray(), StandardCharsets.UTF_16BE)).isEqualTo(text);

      // an MO in UCS-2, sent from a non-I/O thread as cloudhopper requires
      DeliverSm mo = new DeliverSm();
      mo.setSourceAddress(new Address((byte) 1, (byte) 1, "4915112345678"));
      mo.setDestAddress(new Address((byte) 1, (byte) 1, "14155550100"));
      mo.setDataCoding((byte) 0x08);
      mo.setShortMessage("Спасибо, жду 👍".getBytes(StandardCharsets.UTF_16BE));
      WindowFuture<Integer, PduRequest, PduResponse> f = session.get().sendRequestPdu(mo, 5000, false);
      assertThat(f.await(5000)).isTrue();
      assertThat(f.getResponse().getCommandStatus()).isZero();
      assertThat(listener.inbound).hasSize(1);
      InboundSms in = listener.inbound.get(0);
      assertThat(in.body()).isEqualTo("Спасибо, жду 👍");
      assertThat(in.from()).isEqualTo(PhoneNumber.of("+4915112345678"));

      // a receipt for the second part, text only, id in decimal
      String partId = receipt.providerMessageIds().get(1);
      DeliverSm dlr = new DeliverSm();
      dlr.setSourceAddress(new Address((byte) 1, (byte) 1, "4915112345678"));
      dlr.setDestAddress(new Address((byte) 1, (byte) 1, "14155550100"));
      dlr.setEsmClass(SmppConstants.ESM_CLASS_MT_SMSC_DELIVERY_RECEIPT);
      dlr.setShortMessage(("id:" + Long.parseLong(partId, 16) + " sub:001 dlvrd:001 submit date:2601011200 done"
          + " date:2601011201 stat:DELIVRD err:000 text:").getBytes(StandardCharsets.US_ASCII));
      dlr.addOptionalParameter(new Tlv(SmppConstants.TAG_MSG_STATE, new byte[] {2}));
      WindowFuture<Integer, PduRequest, PduResponse> g = session.get().sendRequestPdu(dlr, 5000, false);
      assertThat(g.await(5000)).isTrue();
      assertThat(g.getResponse().getCommandStatus()).isZero();
      assertThat(listener.reports).hasSize(1);
      DeliveryReport report = listener.reports.get(0);
      assertThat(report.status()).isEqualTo(DeliveryStatus.DELIVERED);
      assertThat(report.providerMessageId()).isEqualTo(partId);
      assertThat(report.messageId()).contains("ours-1");
      assertThat(report.part()).isEqualTo(1);
    } finally {
      provider.close();
      server.destroy();
    }
  }
}
