package dev.smsgateway.connect.lambda;

import static dev.smsgateway.connect.lambda.LambdaWorld.event;
import static dev.smsgateway.connect.lambda.LambdaWorld.stream;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.OriginatorRecord;
import java.time.Duration;
import java.util.Map;

/**
 * A container's cold start and first event, in a JVM of its own (started by {@link PhoneMetadataColdStartTest} with
 * {@code -verbose:class}): sets up the loopback peers, prints {@code COLD-START-BEGIN}, builds the handler and
 * handles one event, prints {@code COLD-START-END} and the handler's result.
 *
 * <p>Modes: {@code task} (a Task whose Name is E.164), {@code task-national} (a Task whose Name is a national number,
 * which libphonenumber must read), {@code lookup} (a reply whose originator record exists).
 */
public final class FirstEventProbe {

  private FirstEventProbe() {}

  public static void main(String[] args) {
    try {
      run(args[0]);
    } catch (Throwable t) {
      t.printStackTrace(System.out);
      System.out.flush();
      Runtime.getRuntime().halt(1);
    }
    Runtime.getRuntime().halt(0); // the SMSC's and DynamoDB Local's threads outlive main
  }

  private static void run(String mode) throws Exception {
    LambdaWorld world = new LambdaWorld();
    String user = "5f0b8e2a-1111-4c3d-9e8f-a1b2c3d4e5f6";
    world.connect.addUser(LambdaWorld.INSTANCE, user, "alice");
    String fixture = switch (mode) {
      case "task" -> "task-created-by-agent.json";
      case "task-national" -> "task-agent-parameter.json";
      case "lookup" -> "inbound-sms.json";
      default -> throw new IllegalArgumentException(mode);
    };
    var event = event(fixture);
    System.out.println("COLD-START-BEGIN");
    System.out.flush();
    LambdaResources resources = world.resources();
    Map<String, String> result;
    if (mode.equals("lookup")) {
      resources.originatorStore().put(OriginatorRecord.of(PhoneNumber.of("+14155550123"),
          Originator.longCode(PhoneNumber.of("+14155550100")), "alice", "hello", null, world.clock.instant(),
          Duration.ofHours(1)));
      result = new ReplyLookupHandler(resources).handle(stream(event));
    } else {
      result = new TaskOriginationHandler(resources).handle(stream(event));
    }
    System.out.flush();
    System.out.println("COLD-START-END");
    System.out.println("RESULT " + result);
    System.out.flush();
  }
}
