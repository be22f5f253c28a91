package dev.smsgateway.smpp.wire;

import java.io.IOException;
import java.io.OutputStream;
import org.jsmpp.InvalidNumberOfDestinationsException;
import org.jsmpp.PDUSender;
import org.jsmpp.PDUStringException;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCoding;
import org.jsmpp.bean.DestinationAddress;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.InterfaceVersion;
import org.jsmpp.bean.MessageState;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceIfPresentFlag;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.bean.UnsuccessDelivery;
import org.jsmpp.util.DefaultComposer;
import org.jsmpp.util.PDUComposer;

/**
 * A jsmpp {@link PDUSender} that writes the same bytes as jsmpp's {@code DefaultPDUSender} but never logs them.
 *
 * <p>{@code DefaultPDUSender} logs every PDU it writes as hex at DEBUG under {@code org.jsmpp.DefaultPDUSender}: binds
 * with their password, every {@code submit_sm} and {@code deliver_sm} with both numbers and the text. The SMPP
 * provider's sessions and the test kit's SMSC simulator write through this class, and so can a test's own jsmpp client:
 * {@code new SMPPSession(new QuietPduSender(), new DefaultPDUReader(), SocketConnectionFactory.getInstance())}. (jsmpp
 * still dumps the PDUs it <em>receives</em> at DEBUG, under {@code org.jsmpp.session}; no sender changes that.)
 *
 * <p>Thread-safe: stateless apart from jsmpp's stateless composer; each PDU is written and flushed under the stream's
 * lock, so PDUs written from several threads never interleave.
 */
public final class QuietPduSender implements PDUSender {

  private static final byte[] NO_BYTES = new byte[0];
  private static final OptionalParameter[] NO_TLVS = new OptionalParameter[0];

  private final PDUComposer composer = new DefaultComposer();

  /** A sender; they hold no state, one can serve any number of sessions. */
  public QuietPduSender() {}

  private static byte[] write(OutputStream out, byte[] pdu) throws IOException {
    synchronized (out) {
      out.write(pdu);
      out.flush();
    }
    return pdu;
  }

  private static byte[] orEmpty(byte[] shortMessage) {
    return shortMessage == null ? NO_BYTES : shortMessage;
  }

  @Override
  public byte[] sendHeader(OutputStream os, int commandId, int commandStatus, int sequenceNumber) throws IOException {
    return write(os, composer.composeHeader(commandId, commandStatus, sequenceNumber));
  }

  @Override
  public byte[] sendBind(OutputStream os, BindType bindType, int sequenceNumber, String systemId, String password,
      String systemType, InterfaceVersion interfaceVersion, TypeOfNumber addrTon, NumberingPlanIndicator addrNpi,
      String addressRange) throws PDUStringException, IOException {
    return write(os, composer.bind(bindType.commandId(), sequenceNumber, systemId, password, systemType,
        interfaceVersion.value(), addrTon.value(), addrNpi.value(), addressRange));
  }

  @Override
  public byte[] sendBindResp(OutputStream os, int commandId, int sequenceNumber, String systemId,
      InterfaceVersion interfaceVersion) throws PDUStringException, IOException {
    // as DefaultPDUSender: the sc_interface_version TLV when the server states its version
    OptionalParameter[] tlvs = interfaceVersion == null ? NO_TLVS : new OptionalParameter[] {
        new OptionalParameter.Byte(OptionalParameter.Tag.SC_INTERFACE_VERSION, interfaceVersion.value())};
    return write(os, composer.bindResp(commandId, sequenceNumber, systemId, tlvs));
  }

  @Override
  public byte[] sendOutbind(OutputStream os, int sequenceNumber, String systemId, String password)
      throws PDUStringException, IOException {
    return write(os, composer.outbind(sequenceNumber, systemId, password));
  }

  @Override
  public byte[] sendUnbind(OutputStream os, int sequenceNumber) throws IOException {
    return write(os, composer.unbind(sequenceNumber));
  }

  @Override
  public byte[] sendGenericNack(OutputStream os, int commandStatus, int sequenceNumber) throws IOException {
    return write(os, composer.genericNack(commandStatus, sequenceNumber));
  }

  @Override
  public byte[] sendUnbindResp(OutputStream os, int commandStatus, int sequenceNumber) throws IOException {
    return write(os, composer.unbindResp(commandStatus, sequenceNumber));
  }

  @Override
  public byte[] sendEnquireLink(OutputStream os, int sequenceNumber) throws IOException {
    return write(os, composer.enquireLink(sequenceNumber));
  }

  @Override
  public byte[] sendEnquireLinkResp(OutputStream os, int sequenceNumber) throws IOException {
    return write(os, composer.enquireLinkResp(sequenceNumber));
  }

  @Override
  public byte[] sendSubmitSm(OutputStream os, int sequenceNumber, String serviceType, TypeOfNumber sourceAddrTon,
      NumberingPlanIndicator sourceAddrNpi, String sourceAddr, TypeOfNumber destAddrTon,
      NumberingPlanIndicator destAddrNpi, String destinationAddr, ESMClass esmClass, byte protocolId,
      byte priorityFlag, String scheduleDeliveryTime, String validityPeriod, RegisteredDelivery registeredDelivery,
      byte replaceIfPresentFlag, DataCoding dataCoding, byte smDefaultMsgId, byte[] shortMessage,
      OptionalParameter... optionalParameters) throws PDUStringException, IOException {
    return write(os, composer.submitSm(sequenceNumber, serviceType, sourceAddrTon.value(), sourceAddrNpi.value(),
        sourceAddr, destAddrTon.value(), destAddrNpi.value(), destinationAddr, esmClass.value(), protocolId,
        priorityFlag, scheduleDeliveryTime, validityPeriod, registeredDelivery.value(), replaceIfPresentFlag,
        dataCoding.toByte(), smDefaultMsgId, orEmpty(shortMessage), optionalParameters));
  }

  @Override
  public byte[] sendSubmitSmResp(OutputStream os, int sequenceNumber, String messageId,
      OptionalParameter... optionalParameters) throws PDUStringException, IOException {
    return write(os, composer.submitSmResp(sequenceNumber, messageId, optionalParameters));
  }

  @Override
  public byte[] sendQuerySm(OutputStream os, int sequenceNumber, String messageId, TypeOfNumber sourceAddrTon,
      NumberingPlanIndicator sourceAddrNpi, String sourceAddr) throws PDUStringException, IOException {
    return write(os, composer.querySm(sequenceNumber, messageId, sourceAddrTon.value(), sourceAddrNpi.value(),
        sourceAddr));
  }

  @Override
  public byte[] sendQuerySmResp(OutputStream os, int sequenceNumber, String messageId, String finalDate,
      MessageState messageState, byte errorCode) throws PDUStringException, IOException {
    return write(os, composer.querySmResp(sequenceNumber, messageId, finalDate, messageState.value(), errorCode));
  }

  @Override
  public byte[] sendDeliverSm(OutputStream os, int sequenceNumber, String serviceType, TypeOfNumber sourceAddrTon,
      NumberingPlanIndicator sourceAddrNpi, String sourceAddr, TypeOfNumber destAddrTon,
      NumberingPlanIndicator destAddrNpi, String destinationAddr, ESMClass esmClass, byte protocolId,
      byte priorityFlag, RegisteredDelivery registeredDelivery, DataCoding dataCoding, byte[] shortMessage,
      OptionalParameter... optionalParameters) throws PDUStringException, IOException {
    return write(os, composer.deliverSm(sequenceNumber, serviceType, sourceAddrTon.value(), sourceAddrNpi.value(),
        sourceAddr, destAddrTon.value(), destAddrNpi.value(), destinationAddr, esmClass.value(), protocolId,
        priorityFlag, registeredDelivery.value(), dataCoding.toByte(), orEmpty(shortMessage), optionalParameters));
  }

  @Override
  public byte[] sendDeliverSmResp(OutputStream os, int commandStatus, int sequenceNumber, String messageId)
      throws IOException {
    return write(os, composer.deliverSmResp(commandStatus, sequenceNumber, messageId));
  }

  @Override
  public byte[] sendDataSm(OutputStream os, int sequenceNumber, String serviceType, TypeOfNumber sourceAddrTon,
      NumberingPlanIndicator sourceAddrNpi, String sourceAddr, TypeOfNumber destAddrTon,
      NumberingPlanIndicator destAddrNpi, String destinationAddr, ESMClass esmClass,
      RegisteredDelivery registeredDelivery, DataCoding dataCoding, OptionalParameter... optionalParameters)
      throws PDUStringException, IOException {
    return write(os, composer.dataSm(sequenceNumber, serviceType, sourceAddrTon.value(), sourceAddrNpi.value(),
        sourceAddr, destAddrTon.value(), destAddrNpi.value(), destinationAddr, esmClass.value(),
        registeredDelivery.value(), dataCoding.toByte(), optionalParameters));
  }

  @Override
  public byte[] sendDataSmResp(OutputStream os, int sequenceNumber, String messageId,
      OptionalParameter... optionalParameters) throws PDUStringException, IOException {
    return write(os, composer.dataSmResp(sequenceNumber, messageId, optionalParameters));
  }

  @Override
  public byte[] sendDataSmResp(OutputStream os, int commandStatus, int sequenceNumber, String messageId,
      OptionalParameter... optionalParameters) throws PDUStringException, IOException {
    return write(os, composer.dataSmResp(commandStatus, sequenceNumber, messageId, optionalParameters));
  }

  @Override
  public byte[] sendCancelSm(OutputStream os, int sequenceNumber, String serviceType, String messageId,
      TypeOfNumber sourceAddrTon, NumberingPlanIndicator sourceAddrNpi, String sourceAddr, TypeOfNumber destAddrTon,
      NumberingPlanIndicator destAddrNpi, String destinationAddr) throws PDUStringException, IOException {
    return write(os, composer.cancelSm(sequenceNumber, serviceType, messageId, sourceAddrTon.value(),
        sourceAddrNpi.value(), sourceAddr, destAddrTon.value(), destAddrNpi.value(), destinationAddr));
  }

  @Override
  public byte[] sendCancelSmResp(OutputStream os, int sequenceNumber) throws IOException {
    return write(os, composer.cancelSmResp(sequenceNumber));
  }

  @Override
  public byte[] sendReplaceSm(OutputStream os, int sequenceNumber, String messageId, TypeOfNumber sourceAddrTon,
      NumberingPlanIndicator sourceAddrNpi, String sourceAddr, String scheduleDeliveryTime, String validityPeriod,
      RegisteredDelivery registeredDelivery, byte smDefaultMsgId, byte[] shortMessage)
      throws PDUStringException, IOException {
    return write(os, composer.replaceSm(sequenceNumber, messageId, sourceAddrTon.value(), sourceAddrNpi.value(),
        sourceAddr, scheduleDeliveryTime, validityPeriod, registeredDelivery.value(), smDefaultMsgId,
        orEmpty(shortMessage)));
  }

  @Override
  public byte[] sendReplaceSmResp(OutputStream os, int sequenceNumber) throws IOException {
    return write(os, composer.replaceSmResp(sequenceNumber));
  }

  @Override
  public byte[] sendSubmitMulti(OutputStream os, int sequenceNumber, String serviceType, TypeOfNumber sourceAddrTon,
      NumberingPlanIndicator sourceAddrNpi, String sourceAddr, DestinationAddress[] destinationAddresses,
      ESMClass esmClass, byte protocolId, byte priorityFlag, String scheduleDeliveryTime, String validityPeriod,
      RegisteredDelivery registeredDelivery, ReplaceIfPresentFlag replaceIfPresentFlag, DataCoding dataCoding,
      byte smDefaultMsgId, byte[] shortMessage, OptionalParameter... optionalParameters)
      throws PDUStringException, InvalidNumberOfDestinationsException, IOException {
    return write(os, composer.submitMulti(sequenceNumber, serviceType, sourceAddrTon.value(), sourceAddrNpi.value(),
        sourceAddr, destinationAddresses, esmClass.value(), protocolId, priorityFlag, scheduleDeliveryTime,
        validityPeriod, registeredDelivery.value(), replaceIfPresentFlag.value(), dataCoding.toByte(),
        smDefaultMsgId, orEmpty(shortMessage), optionalParameters));
  }

  @Override
  public byte[] sendSubmitMultiResp(OutputStream os, int sequenceNumber, String messageId,
      UnsuccessDelivery... unsuccessDeliveries) throws PDUStringException, IOException {
    return write(os, composer.submitMultiResp(sequenceNumber, messageId, unsuccessDeliveries));
  }

  @Override
  public byte[] sendAlertNotification(OutputStream os, int sequenceNumber, TypeOfNumber sourceAddrTon,
      NumberingPlanIndicator sourceAddrNpi, String sourceAddr, TypeOfNumber esmeAddrTon,
      NumberingPlanIndicator esmeAddrNpi, String esmeAddr, OptionalParameter... optionalParameters)
      throws PDUStringException, IOException {
    return write(os, composer.alertNotification(sequenceNumber, sourceAddrTon.value(), sourceAddrNpi.value(),
        sourceAddr, esmeAddrTon.value(), esmeAddrNpi.value(), esmeAddr, optionalParameters));
  }

  @Override
  public byte[] sendBroadcastSm(OutputStream os, int sequenceNumber, String serviceType, TypeOfNumber sourceAddrTon,
      NumberingPlanIndicator sourceAddrNpi, String sourceAddr, String messageId, byte priorityFlag,
      String scheduleDeliveryTime, String validityPeriod, ReplaceIfPresentFlag replaceIfPresentFlag,
      DataCoding dataCoding, byte smDefaultMsgId, OptionalParameter... optionalParameters)
      throws PDUStringException, IOException {
    return write(os, composer.broadcastSm(sequenceNumber, serviceType, sourceAddrTon.value(), sourceAddrNpi.value(),
        sourceAddr, messageId, priorityFlag, scheduleDeliveryTime, validityPeriod, replaceIfPresentFlag.value(),
        dataCoding.toByte(), smDefaultMsgId, optionalParameters));
  }

  @Override
  public byte[] sendBroadcastSmResp(OutputStream os, int sequenceNumber, String messageId,
      OptionalParameter... optionalParameters) throws PDUStringException, IOException {
    return write(os, composer.broadcastSmResp(sequenceNumber, messageId, optionalParameters));
  }

  @Override
  public byte[] sendCancelBroadcastSm(OutputStream os, int sequenceNumber, String serviceType, String messageId,
      TypeOfNumber sourceAddrTon, NumberingPlanIndicator sourceAddrNpi, String sourceAddr,
      OptionalParameter... optionalParameters) throws PDUStringException, IOException {
    return write(os, composer.cancelBroadcastSm(sequenceNumber, serviceType, messageId, sourceAddrTon.value(),
        sourceAddrNpi.value(), sourceAddr, optionalParameters));
  }

  @Override
  public byte[] sendCancelBroadcastSmResp(OutputStream os, int sequenceNumber) throws IOException {
    return write(os, composer.cancelBroadcastSmResp(sequenceNumber));
  }

  @Override
  public byte[] sendQueryBroadcastSm(OutputStream os, int sequenceNumber, String messageId,
      TypeOfNumber sourceAddrTon, NumberingPlanIndicator sourceAddrNpi, String sourceAddr,
      OptionalParameter... optionalParameters) throws PDUStringException, IOException {
    return write(os, composer.queryBroadcastSm(sequenceNumber, messageId, sourceAddrTon.value(),
        sourceAddrNpi.value(), sourceAddr, optionalParameters));
  }

  @Override
  public byte[] sendQueryBroadcastSmResp(OutputStream os, int sequenceNumber, String messageId,
      OptionalParameter... optionalParameters) throws PDUStringException, IOException {
    return write(os, composer.queryBroadcastSmResp(sequenceNumber, messageId, optionalParameters));
  }
}
