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
import java.util.Map;
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
 *
 * <p><b>Timing.</b> It looks at the head every {@value #HEAD_POLL_MS} ms (or its poll interval if
 * shorter) and works a round as soon as a new block is there (else once per poll interval, for
 * retries): a case opened in block N has its seed in N+1, so its draw is sent as soon as N+1 is
 * seen and can land in N+2; a seat seen in the draw's block is judged and its verdict sent in the
 * same round, so that it can land in N+3, where the quorum's last verdict finalizes the request.
 * Nothing in a round waits for a block: draws, expiries and verdicts are sent, and their receipts
 * read on a later block (a verdict's outcome goes to the journal then; a verdict not mined after
 * {@value #RESEND_AFTER_BLOCKS} blocks is sent again, the same signature). Waiting for each receipt
 * in turn cost a block per seat and per draw when several cases were open.
 *
 * <p><b>Challenges.</b> A VANILLA result the audit lottery did not select is final after its
 * challenge window unless a staked validator challenges it. This role re-executes a share of those
 * results ({@code challengeRateBps}; which ones is decided by keccak256 of this validator's address
 * and the case id, so validators sample different results and a node cannot tell which) during the
 * window, one per round after the seats, and challenges with the court's bond a result that does
 * not match under the model's tolerance rule. A committee then judges it; the challenger, never on
 * that committee, gets its bond back and half the slashed stake when the result is overturned, and
 * loses the bond when it is upheld (contracts/README.md, economics).
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
  private final int challengeRateBps;

  /** NOT_SELECTED cases this role samples, waiting to be re-executed. */
  private final java.util.Deque<BigInteger> toExamine =
      new java.util.concurrent.ConcurrentLinkedDeque<>();

  /**
   * Cases sampled lately (re-executed or queued), so that each is looked at once: the newest
   * {@value #EXAMINED_KEPT}, enough for every case whose window is open at any realistic rate (a
   * case comes back to the keeper only through an event, which it reads once).
   */
  private final Set<BigInteger> examined =
      java.util.Collections.newSetFromMap(
          java.util.Collections.synchronizedMap(
              new java.util.LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<BigInteger, Boolean> eldest) {
                  return size() > EXAMINED_KEPT;
                }
              }));

  static final int EXAMINED_KEPT = 100_000;

  /** Rounds a sampled result that cannot be re-executed yet is tried again before it is left. */
  static final int EXAMINE_TRIES = 10;

  private final Map<BigInteger, Integer> examineTries = new ConcurrentHashMap<>();

  private BigInteger challengeBond;

  /** Cases seen opened (or redrawn, challenged) and not closed: the keeper's watch list. */
  private final Set<BigInteger> watched = ConcurrentHashMap.newKeySet();

  private volatile long verdictWindowSeconds = -1;

  /** How often the head is read: well under a block, so that the role reacts to each block. */
  static final long HEAD_POLL_MS = 100;

  /** Blocks after which a verdict or keeper move sent and not mined (or reverted) is sent again. */
  static final int RESEND_AFTER_BLOCKS = 3;

  /** A transaction sent in the block after {@code head}, not yet seen mined. */
  private record Sent(String txHash, long head) {}

  /** Verdicts sent and not yet mined, by seat. Touched by the loop's one thread only. */
  private final Map<VerdictJournal.Seat, Sent> sentVerdicts = new ConcurrentHashMap<>();

  /** Keeper moves (draw, expire) sent, by case, until the case moves on or they are stale. */
  private final Map<BigInteger, Sent> sentMoves = new ConcurrentHashMap<>();

  private long lastHead = -1;
  private long lastRoundNanos;

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
      int challengeRateBps,
      Scheduler scheduler) {
    if (challengeRateBps < 0 || challengeRateBps > 10_000) {
      throw new IllegalArgumentException(
          "a challenge rate is 0 to 10,000 basis points, got " + challengeRateBps);
    }
    this.challengeRateBps = challengeRateBps;
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
    Duration headPoll = Duration.ofMillis(HEAD_POLL_MS);
    loop =
        scheduler.repeat(
            "vouch-validator-" + me,
            Duration.ZERO,
            pollInterval.compareTo(headPoll) < 0 ? pollInterval : headPoll,
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

  /**
   * Reads the head; works a round when a block has come since the last one, or a poll interval has
   * passed (a retry of a seat that could not be judged yet).
   */
  void tick() {
    long head = court.head();
    long now = System.nanoTime();
    if (head == lastHead && now - lastRoundNanos < pollInterval.toNanos()) {
      return;
    }
    lastHead = head;
    lastRoundNanos = now;
    round(head);
  }

  /**
   * One round: read new events (journaling seats), keep, read the receipts of what was sent, work
   * every open seat; sends without waiting for any block.
   */
  private void round(long head) {
    long from = Math.max(journal.checkpoint(), deployedAtBlock);
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
    // the keeper's moves first: a draw is due in the block after the seed and costs one call and
    // one transaction, while judging a seat fetches and verifies a proof
    keep(head);
    readOutcomes();
    var open = journal.open();
    sentVerdicts.keySet().retainAll(open.keySet());
    for (var seat : open.entrySet()) {
      Sent sent = sentVerdicts.get(seat.getKey());
      if (sent != null && head - sent.head() < RESEND_AFTER_BLOCKS) {
        continue; // in flight: its receipt is read on a later block
      }
      try {
        work(seat.getKey(), seat.getValue(), head);
      } catch (RuntimeException e) {
        // one seat's trouble (an RPC error) must not hold up the others; retried next round
        LOG.warn("case {}: {}", seat.getKey().caseId(), e.getMessage());
      }
    }
    examineOne();
  }

  /** Whether this validator re-executes the unaudited result of {@code caseId}. */
  boolean samples(BigInteger caseId) {
    if (challengeRateBps == 0) {
      return false;
    }
    byte[] seed = new byte[52];
    System.arraycopy(me.toArray(), 0, seed, 0, 20);
    System.arraycopy(io.vouch.core.Bytes32.fromUint(caseId).toArray(), 0, seed, 20, 32);
    BigInteger draw = new BigInteger(1, io.vouch.core.crypto.Keccak.hash(seed).toArray());
    return draw.mod(BigInteger.valueOf(10_000)).intValueExact() < challengeRateBps;
  }

  /**
   * Re-executes one sampled unaudited result and challenges it when it does not match; a result
   * that cannot be judged yet goes back in the queue while its window is open.
   */
  private void examineOne() {
    BigInteger caseId = toExamine.pollFirst();
    if (caseId == null) {
      return;
    }
    boolean again = false;
    try {
      CourtCase c = court.getCase(caseId);
      if (c.state() != CourtCase.State.NOT_SELECTED || c.node().equals(me)) {
        return; // challenged by someone else, or its lottery changed; never our own result
      }
      CaseJudge.Judgment j = judge.judge(c);
      if (j instanceof CaseJudge.Judgment.Decided d
          && d.verdict() instanceof io.vouch.evidence.Verdict.Invalid why) {
        if (challengeBond == null) {
          challengeBond = court.challengeBondWei();
        }
        court
            .sendChallengeIfOpen(c, challengeBond)
            .ifPresentOrElse(
                tx ->
                    LOG.info(
                        "challenged the unaudited result of case {} with a bond of {} wei ({}): {}",
                        caseId,
                        challengeBond,
                        tx,
                        why.reason()),
                () ->
                    LOG.info(
                        "case {}: the re-execution differs ({}) but the court takes no challenge"
                            + " now (window closed or challenged already)",
                        caseId,
                        why.reason()));
      } else if (j instanceof CaseJudge.Judgment.Retry r) {
        int tries = examineTries.merge(caseId, 1, Integer::sum);
        if (tries < EXAMINE_TRIES) {
          LOG.info("case {}: not re-executed yet: {}", caseId, r.reason());
          toExamine.addLast(caseId);
          again = true;
        } else {
          LOG.warn("case {}: left unexamined after {} tries: {}", caseId, tries, r.reason());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("case {}: re-executing the unaudited result failed: {}", caseId, e.getMessage());
    } finally {
      if (!again) {
        examineTries.remove(caseId);
      }
    }
  }

  /** The outcomes of the verdicts sent and now mined, into the journal. */
  private void readOutcomes() {
    for (var e : sentVerdicts.entrySet()) {
      VerdictJournal.Seat seat = e.getKey();
      try {
        Optional<CourtClient.VerdictOutcome> outcome = court.verdictOutcome(e.getValue().txHash());
        if (outcome.isPresent()) {
          sentVerdicts.remove(seat);
          done(seat, outcome.get());
        }
      } catch (RuntimeException failed) {
        // not counted for a reason the receipt does not tell (typically: another verdict in the
        // same block decided the case first); the seat is still open and looked at again
        sentVerdicts.remove(seat);
        LOG.info(
            "case {}: verdict {} not counted, looking again: {}",
            seat.caseId(),
            e.getValue().txHash(),
            failed.getMessage());
      }
    }
  }

  private void keep(long head) {
    long headTime = -1;
    for (BigInteger caseId : watched) {
      try {
        CourtCase c = court.getCase(caseId);
        if (c.state().closed() || c.state() == CourtCase.State.NOT_SELECTED) {
          watched.remove(caseId); // a challenge brings it back through its event
          sentMoves.remove(caseId);
          if (c.state() == CourtCase.State.NOT_SELECTED
              && !c.node().equals(me)
              && samples(caseId)
              && examined.add(caseId)) {
            toExamine.addLast(caseId);
          }
          continue;
        }
        Sent sent = sentMoves.get(caseId);
        if (sent != null && head - sent.head() < RESEND_AFTER_BLOCKS) {
          continue; // a move of this keeper is on its way
        }
        Optional<String> tx = court.sendDrawIfDue(c, head);
        if (tx.isPresent()) {
          LOG.info("drawing case {} ({})", caseId, tx.get());
        } else if (c.state() == CourtCase.State.VOTING) {
          if (headTime < 0) {
            headTime = court.headTime();
          }
          tx = court.sendExpireIfDue(c, headTime);
          tx.ifPresent(h -> LOG.info("expiring round {} of case {} ({})", c.round(), caseId, h));
        }
        tx.ifPresent(h -> sentMoves.put(caseId, new Sent(h, head)));
      } catch (RuntimeException e) {
        LOG.debug("keeping case {} failed: {}", caseId, e.getMessage());
      }
    }
  }

  private void work(VerdictJournal.Seat seat, Optional<VerdictJournal.Signed> signed, long head) {
    if (signed.isPresent()) {
      send(seat, signed.get(), Optional.empty(), head); // a resend: the case is read again
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
        sign(seat, c, r.outputHash(), r.evidenceHash(), verdict, head);
        return;
      }
      case CaseJudge.Judgment.Decided d -> {
        verdict = d.verdict();
        if (verdict instanceof io.vouch.evidence.Verdict.Undecided u) {
          LOG.warn("case {}: no vote: {}", seat.caseId(), u.reason());
          return; // asked again next round; the seat ends with the round
        }
        sign(seat, c, d.outputHash(), d.evidenceHash(), verdict, head);
      }
    }
  }

  private void sign(
      VerdictJournal.Seat seat,
      CourtCase c,
      io.vouch.core.Bytes32 outputHash,
      io.vouch.core.Bytes32 evidenceHash,
      io.vouch.evidence.Verdict verdict,
      long head) {
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
    send(seat, new VerdictJournal.Signed(v, s), Optional.of(c), head);
  }

  /**
   * Sends the journaled verdict with the committee of {@code read} (the case as this block read it)
   * or, for a resend from the journal, of the case read again; its outcome is read from the receipt
   * on a later block.
   */
  private void send(
      VerdictJournal.Seat seat, VerdictJournal.Signed signed, Optional<CourtCase> read, long head) {
    String tx =
        read.isPresent()
            ? court.sendVerdict(signed.verdict(), signed.signature(), read.get())
            : court.sendVerdict(signed.verdict(), signed.signature());
    sentVerdicts.put(seat, new Sent(tx, head));
  }

  private void done(VerdictJournal.Seat seat, CourtClient.VerdictOutcome outcome) {
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
