// Renders the API's OpenAPI document. Swagger UI's own "try it out" is off: requests go through
// the portal's try-it panel, so this page never calls another origin.
(function () {
  var target = document.getElementById('swagger');
  if (!target || !window.SwaggerUIBundle) {
    return;
  }
  window.SwaggerUIBundle({
    url: target.getAttribute('data-spec'),
    domNode: target,
    deepLinking: false,
    supportedSubmitMethods: [],
    defaultModelsExpandDepth: 0
  });
})();
