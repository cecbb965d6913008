package org.socsecgateway.simulators.soap;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The Vert.x router of a fake DFDG SOAP service: its {@link SoapEndpoint}s by path, as IIS serves them. */
public final class SoapRouter {

    private SoapRouter() {
    }

    /**
     * Reads bodies up to {@link SoapEndpoint#MAX_REQUEST_BYTES}, dispatches by path in any case (IIS paths are
     * case-insensitive: DFDG's own inventories spell them differently per environment), answers IIS's HTML 404
     * elsewhere, and logs (WARNING) and answers 500 what fails in the simulator itself.
     *
     * @param name      the simulator's name in log lines
     * @param endpoints the endpoint of each path, e.g. {@code /PjakTassWCFtService/1/CodeListService.svc}
     */
    public static Router create(Vertx vertx, String name, Map<String, SoapEndpoint> endpoints) {
        Map<String, SoapEndpoint> byPath = new LinkedHashMap<>();
        endpoints.forEach((path, endpoint) -> byPath.put(path.toLowerCase(Locale.ROOT), endpoint));
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(SoapEndpoint.MAX_REQUEST_BYTES));
        router.route().handler(ctx -> {
            SoapEndpoint endpoint = byPath.get(ctx.request().path().toLowerCase(Locale.ROOT));
            if (endpoint != null) {
                endpoint.handle(ctx);
            } else {
                ctx.response().setStatusCode(404).putHeader("Content-Type", "text/html; charset=utf-8")
                        .end("<html><body><h1>404 - File or directory not found.</h1></body></html>");
            }
        });
        router.route().failureHandler(ctx -> {
            System.getLogger(SoapRouter.class.getName())
                    .log(System.Logger.Level.WARNING, name + " failure", ctx.failure());
            if (!ctx.response().ended()) {
                ctx.response().setStatusCode(ctx.statusCode() > 0 ? ctx.statusCode() : 500).end();
            }
        });
        return router;
    }
}
