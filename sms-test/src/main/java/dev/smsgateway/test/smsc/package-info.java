/**
 * An embedded SMPP 3.4 SMSC for tests ({@link dev.smsgateway.test.smsc.SmscSimulator}): binds on 127.0.0.1 with an
 * ephemeral port, records submits, sends MO messages and delivery receipts, and can be scripted to fail in the ways
 * real SMSCs do. Built on jsmpp's server side.
 */
package dev.smsgateway.test.smsc;
