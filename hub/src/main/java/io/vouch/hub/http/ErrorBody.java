package io.vouch.hub.http;

/** The JSON body of every error response: what went wrong and what to do about it. */
public record ErrorBody(String error, String hint) {}
