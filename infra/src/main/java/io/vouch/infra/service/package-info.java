/**
 * The lifecycle of long-lived components (Teku's pattern): {@link io.vouch.infra.service.Service}
 * (IDLE → RUNNING → STOPPED, started once), {@link io.vouch.infra.service.ServiceController}
 * (starts in order, stops in reverse) and the {@link io.vouch.infra.service.Scheduler} that
 * services share for their repeating work.
 */
package io.vouch.infra.service;
