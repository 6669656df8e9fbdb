/* The API's OpenAPI description rendered by Swagger UI, served from the package (no CDN). */
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
                                validatorUrl: null, tryItOutEnabled: false });
});
