package dev.turnpike.controlplane.openapi;

/** A JSON Pointer (RFC 6901) into the document being imported, built one step at a time. */
record Pointer(String text) {
  static final Pointer ROOT = new Pointer("");

  Pointer then(String token) {
    return new Pointer(text + "/" + token.replace("~", "~0").replace("/", "~1"));
  }

  Pointer then(int index) {
    return new Pointer(text + "/" + index);
  }

  @Override
  public String toString() {
    return text;
  }
}
