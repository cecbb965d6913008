package org.socsecgateway.dfdgpoller.client;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.cxf.binding.soap.saaj.SAAJInInterceptor;
import org.socsecgateway.dfdg.soap.DfdgCallerConfig;
import org.socsecgateway.dfdg.soap.DfdgHeaders;
import org.socsecgateway.dfdg.soap.DfdgHeadersOutInterceptor;
import org.socsecgateway.dfdg.soap.SoapResponseCapture;

/**
 * The CXF interceptors that application.properties names for the DFDG clients ({@code #dfdgHeaders},
 * {@code #saajIn}, {@code #soapResponseCapture}).
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
