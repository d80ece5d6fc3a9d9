package dev.turnpike.gateway.authorizer.lambda;

/**
 * The parts of a method ARN, {@code arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}
 * /{path}}, that an authorizer's event repeats in fields of their own.
 *
 * @param path the request path within the stage, with its leading slash
 */
record MethodArn(String region, String account, String path) {
  static MethodArn parse(String arn) {
    if (arn == null) {
      return new MethodArn(null, null, "/");
    }
    String[] fields = arn.split(":", 6);
    if (fields.length < 6) {
      return new MethodArn(null, null, "/");
    }
    String resource = fields[5];
    // apiId, stage, method: the path begins at the third slash.
    int slash = -1;
    for (int i = 0; i < 3; i++) {
      slash = resource.indexOf('/', slash + 1);
      if (slash < 0) {
        return new MethodArn(fields[3], fields[4], "/");
      }
    }
    return new MethodArn(fields[3], fields[4], resource.substring(slash));
  }
}
