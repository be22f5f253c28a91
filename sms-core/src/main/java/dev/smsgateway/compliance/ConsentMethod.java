package dev.smsgateway.compliance;

/** How a customer gave or withdrew consent. */
public enum ConsentMethod {
  /** A form the customer filled in (the proof reference names the submission). */
  WEB_FORM,
  /** A keyword the customer texted (START, STOP, a configured opt-in keyword). */
  KEYWORD,
  /** An agent recorded what the customer said (the proof reference names the call or chat). */
  AGENT,
  /** An application recorded it through the API (imports, other channels). */
  API
}
