package org.socsecgateway.dfdg.soap;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.cxf.binding.soap.saaj.SAAJInInterceptor;

/**
 * The CXF interceptors that a service's application.properties names for its DFDG clients ({@code #dfdgHeaders},
 * {@code #saajIn}, {@code #soapResponseCapture}). A CDI bean only in the services that index this jar
 * ({@code quarkus.index-dependency.dfdg-soap.*}), which must then set the {@code dfdg.caller.*} properties.
 */
@Singleton
public class DfdgSoapBeans {

    @Produces
    @Singleton
    @Named("dfdgHeaders")
    DfdgHeadersOutInterceptor dfdgHeaders(DfdgCallerConfig caller) {
        return new DfdgHeadersOutInterceptor(new DfdgHeaders(caller, Clock.systemUTC()));
    }

    @Produces
    @Singleton
    @Named("saajIn")
    SAAJInInterceptor saajIn() {
        return new SAAJInInterceptor();
    }

    @Produces
    @Singleton
    @Named("soapResponseCapture")
    SoapResponseCapture soapResponseCapture() {
        return new SoapResponseCapture();
    }
}
