package io.vouch.node.validator;

import io.vouch.chain.court.CourtCase;
import io.vouch.chain.court.CourtClient;
import io.vouch.chain.court.CourtEvent;
import io.vouch.core.Address;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.Verdict;
import io.vouch.infra.service.Scheduler;
import io.vouch.infra.service.Service;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validator role of a node: reads the court's events, and for each committee seat of this node
 * judges the case ({@link CaseJudge}), signs an EIP-712 {@link Verdict} in the court's domain,
 * journals it ({@link VerdictJournal}, forced to disk before it is sent), and sends it. It also
 * keeps: draws committees (and resolves VANILLA audit lotteries) whose seed block is known, and
 * expires rounds past their deadline, for every case it has seen opened.
 *
 * <p><b>At most one verdict per seat.</b> A seat's verdict is signed once; a restart sends the
 * journaled signature again (the court answers AlreadyVoted if the first one landed) and never
 * signs another. An {@code Undecided} judgment (a missing model or trust anchor) is no vote: the
 * member stays silent and is unpaid. A node that does not serve its ZKML proof is voted INVALID (an
 * HTTP error at once; still unreachable {@code proofPatience} of chain time after the committee was
 * drawn, that is after the round's deadline minus the verdict window).
 */
public final class ValidatorRole extends Service {
  private static final Logger LOG = LoggerFactory.getLogger(ValidatorRole.class);

  private final CourtClient court;
  private final CaseJudge judge;
  private final VerdictJournal journal;
  private final Secp256k1.KeyPair key;
  private final long deployedAtBlock;
  private final Duration pollInterval;
  private final Duration proofPatience;
  private final Address me;

  /** Cases seen opened (or redrawn, challenged) and not closed: the keeper's watch list. */
  private final Set<BigInteger> watched = ConcurrentHashMap.newKeySet();

  private volatile long verdictWindowSeconds = -1;

  private final Scheduler scheduler;
  private Scheduler.Repeating loop;

  public ValidatorRole(
      CourtClient court,
      CaseJudge judge,
      VerdictJournal journal,
      Secp256k1.KeyPair key,
      long deployedAtBlock,
      Duration pollInterval,
      Duration proofPatience,
      Scheduler scheduler) {
    this.scheduler = scheduler;
    this.court = court;
    this.judge = judge;
    this.journal = journal;
    this.key = key;
    this.deployedAtBlock = deployedAtBlock;
    this.pollInterval = pollInterval;
    this.proofPatience = proofPatience;
    this.me = key.address();
    if (!court.self().equals(me)) {
      throw new IllegalArgumentException("the court client sends from another account than " + me);
    }
  }

  /** The journal of seats and verdicts (for tests and status). */
  public VerdictJournal journal() {
    return journal;
  }

  @Override
  protected void doStart() {
    loop =
        scheduler.repeat(
            "vouch-validator-" + me,
            Duration.ZERO,
            pollInterval,
            () -> {
              try {
                tick();
              } catch (RuntimeException e) {
                LOG.warn("validator round failed, will retry: {}", e.getMessage());
              }
            });
  }

  @Override
  protected void doStop() {
    if (loop != null) {
      loop.cancel(true);
    }
  }

  private boolean watchRestored;

  /** One round: read new events, keep, then work every open seat. */
  void tick() {
    long from = Math.max(journal.checkpoint(), deployedAtBlock);
    long head = court.head();
    if (!watchRestored) {
      // the keeper's watch list is not journaled: after a restart, cases seen before the
      // checkpoint come back from the court's events (keep() drops the closed ones at once)
      for (CourtEvent e : court.events(deployedAtBlock, Math.min(from, head + 1) - 1)) {
        watched.add(e.caseId());
      }
      watchRestored = true;
    }
    if (head >= from) {
      for (CourtEvent e : court.events(from, head)) {
        switch (e) {
          case CourtEvent.CommitteeDrawn d -> {
            watched.add(d.caseId());
            if (d.members().contains(me)) {
              journal.seat(new VerdictJournal.Seat(d.caseId(), d.round()));
            }
          }
          default -> watched.add(e.caseId());
        }
      }
      journal.checkpoint(head + 1); // after the seats it passed are journaled
    }
    for (var seat : journal.open().entrySet()) {
      try {
        work(seat.getKey(), seat.getValue());
      } catch (RuntimeException e) {
        // one seat's trouble (an RPC error) must not hold up the others; retried next round
        LOG.warn("case {}: {}", seat.getKey().caseId(), e.getMessage());
      }
    }
    keep();
  }

  private void keep() {
    for (BigInteger caseId : watched) {
      try {
        CourtCase c = court.getCase(caseId);
        if (c.state().closed() || c.state() == CourtCase.State.NOT_SELECTED) {
          watched.remove(caseId); // a challenge brings it back through its event
          continue;
        }
        if (court.drawIfDue(caseId)) {
          LOG.info("drew case {}", caseId);
        } else if (court.expireIfDue(caseId)) {
          LOG.info("expired round {} of case {}", c.round(), caseId);
        }
      } catch (RuntimeException e) {
        LOG.debug("keeping case {} failed: {}", caseId, e.getMessage());
      }
    }
  }

  private void work(VerdictJournal.Seat seat, Optional<VerdictJournal.Signed> signed) {
    if (signed.isPresent()) {
      send(seat, signed.get());
      return;
    }
    CourtCase c = court.getCase(seat.caseId());
    if (c.state() != CourtCase.State.VOTING || c.round() != seat.round()) {
      journal.done(
          seat, "round over before a verdict (" + c.state() + ", round " + c.round() + ")");
      return;
    }
    if (c.seatOf(me).map(CourtCase.Seat::voted).orElse(false)) {
      journal.done(seat, "already counted");
      return;
    }
    CaseJudge.Judgment j = judge.judge(c);
    io.vouch.evidence.Verdict verdict;
    switch (j) {
      case CaseJudge.Judgment.Retry r -> {
        if (!r.proofUnreachable()) {
          LOG.info("case {}: not judged yet: {}", seat.caseId(), r.reason());
          return;
        }
        if (verdictWindowSeconds < 0) {
          verdictWindowSeconds = court.verdictWindowSeconds();
        }
        long drawnAt = c.deadline() - verdictWindowSeconds;
        if (court.headTime() - drawnAt < proofPatience.toSeconds()) {
          LOG.info("case {}: {}; asking again", seat.caseId(), r.reason());
          return;
        }
        verdict =
            new io.vouch.evidence.Verdict.Invalid(
                r.reason()
                    + ", still "
                    + proofPatience.toSeconds()
                    + " s after the committee was drawn: treated as a lie");
        sign(seat, c, r.outputHash(), r.evidenceHash(), verdict);
        return;
      }
      case CaseJudge.Judgment.Decided d -> {
        verdict = d.verdict();
        if (verdict instanceof io.vouch.evidence.Verdict.Undecided u) {
          LOG.warn("case {}: no vote: {}", seat.caseId(), u.reason());
          return; // asked again next round; the seat ends with the round
        }
        sign(seat, c, d.outputHash(), d.evidenceHash(), verdict);
      }
    }
  }

  private void sign(
      VerdictJournal.Seat seat,
      CourtCase c,
      io.vouch.core.Bytes32 outputHash,
      io.vouch.core.Bytes32 evidenceHash,
      io.vouch.evidence.Verdict verdict) {
    Verdict v =
        new Verdict(
            seat.caseId(),
            c.requestId(),
            outputHash,
            evidenceHash,
            verdict.isValid(),
            seat.round());
    Signature s = v.sign(court.domain(), key);
    journal.signed(v, s); // forced before it leaves
    LOG.info(
        "case {} round {}: {} ({})",
        seat.caseId(),
        seat.round(),
        verdict.isValid() ? "VALID" : "INVALID",
        verdict);
    send(seat, new VerdictJournal.Signed(v, s));
  }

  private void send(VerdictJournal.Seat seat, VerdictJournal.Signed signed) {
    CourtClient.VerdictOutcome outcome = court.submitVerdict(signed.verdict(), signed.signature());
    if (outcome == CourtClient.VerdictOutcome.WRONG_SUBJECT
        || outcome == CourtClient.VerdictOutcome.NOT_ON_COMMITTEE) {
      LOG.warn(
          "case {} round {}: the court did not count this validator's verdict: {}",
          seat.caseId(),
          seat.round(),
          outcome);
    }
    journal.done(seat, outcome.name());
  }
}
