package io.vouch.chain.court;

import io.vouch.chain.ChainException;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.contracts.NodeRegistry;
import io.vouch.chain.contracts.VerificationCourt;
import io.vouch.chain.registry.ModelRegistryClient;
import io.vouch.chain.registry.NodeRegistryClient;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.chain.tx.GasLimits;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.Hex;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.Verdict;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * The VerificationCourt for validators and keepers, in core types: cases ({@link CourtCase}), the
 * court's events ({@link CourtEvent}), the keeper's moves (draw, expire), verdicts by the member's
 * own transaction or as a signed EIP-712 {@link Verdict} that anyone relays, and the validator's
 * registration in the NodeRegistry. The node and the CLI reach the court only through this class.
 */
public final class CourtClient {
  /** NodeRegistry role bits. */
  public static final int ROLE_INFERENCE = 1;

  public static final int ROLE_VALIDATOR = 2;

  private static final long MAX_RANGE = 2_000;

  private final TransactionSender sender;
  private final VouchDeployment deployment;
  private final VerificationCourt court;
  private final NodeRegistry registry;
  private final Map<String, Function<Log, CourtEvent>> decoders;

  public CourtClient(TransactionSender sender, VouchDeployment deployment) {
    this.sender = sender;
    this.deployment = deployment;
    this.court = deployment.verificationCourt(sender);
    this.registry = deployment.nodeRegistry(sender);
    this.decoders =
        Map.of(
            topic(VerificationCourt.CASEOPENED_EVENT), CourtClient::caseOpened,
            topic(VerificationCourt.COMMITTEEDRAWN_EVENT), CourtClient::committeeDrawn,
            topic(VerificationCourt.ROUNDEXPIRED_EVENT), CourtClient::roundExpired,
            topic(VerificationCourt.CHALLENGED_EVENT), CourtClient::challenged,
            topic(VerificationCourt.SEEDREARMED_EVENT), CourtClient::seedRearmed,
            topic(VerificationCourt.KEYAPPROVALOPENED_EVENT), CourtClient::keyApprovalOpened);
  }

  /** The account this client sends from: the validator or keeper. */
  public Address self() {
    return sender.address();
  }

  /** The court's EIP-712 domain, in which members sign verdicts. */
  public Eip712Domain domain() {
    return deployment.courtDomain();
  }

  /**
   * The case of the {@code attempt}-th assignment of a request: {@code requestId << 8 | attempt}.
   */
  public static BigInteger caseIdOf(BigInteger requestId, int attempt) {
    return Verdict.caseIdOf(requestId, attempt);
  }

  /**
   * Whether {@code caseId} is a KeyApproval case (the court's {@code KEY_CASES} bit, 1 << 255): key
   * cases never share an id with a request's {@link #caseIdOf}.
   */
  public static boolean isKeyCase(BigInteger caseId) {
    return caseId.testBit(255);
  }

  /**
   * The {@code outputHash} of a verdict on a KeyApproval case: the enclave key's address as a word
   * (its {@code evidenceHash} is the attestation document's hash).
   */
  public static Bytes32 keySubject(Address enclaveKey) {
    return Bytes32.fromUint(new BigInteger(1, enclaveKey.toArray()));
  }

  /** The enclave key a KeyApproval case judges (empty for a request's case). */
  public Optional<Address> enclaveKeyOf(BigInteger caseId) {
    Address a = Address.fromHex(call("enclaveKeyOf", () -> court.enclaveKeyOf(caseId).send()));
    return a.equals(Address.ZERO) ? java.util.Optional.empty() : java.util.Optional.of(a);
  }

  /**
   * The registration a KeyApproval case judges, from the NodeRegistry's {@code
   * EnclaveKeyRegistered} event (document and proof of possession); empty when the case judges no
   * key or the event is not readable.
   */
  public Optional<NodeRegistryClient.RegisteredEnclaveKey> keyRegistration(CourtCase c) {
    return enclaveKeyOf(c.caseId())
        .flatMap(k ->
            NodeRegistryClient.readOnly(sender.web3j(), deployment)
                .registration(c.node(), k, c.caseId()));
  }

  /**
   * Whether this deployment lets validators approve keys attested under a development root (the
   * NodeRegistry's immutable {@code developmentAttestationAllowed}).
   */
  public boolean developmentAttestationAllowed() {
    return call(
        "developmentAttestationAllowed", () -> registry.developmentAttestationAllowed().send());
  }

  /**
   * The oldest an attestation document may be at its registration's block time, in seconds (the
   * NodeRegistry's constant {@code MAX_ATTESTATION_AGE}): older documents, and nonces of older
   * blocks, are refused by KeyApproval committees.
   */
  public long maxAttestationAgeSeconds() {
    return call("MAX_ATTESTATION_AGE", () -> registry.MAX_ATTESTATION_AGE().send())
        .longValueExact();
  }

  /**
   * The time (seconds since the epoch) of the block of this chain whose hash is {@code hash}, when
   * it is on the canonical chain at or before block {@code atOrBefore}; empty otherwise (another
   * chain's hash, an orphaned or later block).
   */
  public OptionalLong blockTime(Bytes32 hash, long atOrBefore) {
    var block =
        call(
                "eth_getBlockByHash",
                () -> sender.web3j().ethGetBlockByHash(hash.toHex(), false).send())
            .getBlock();
    if (block == null || block.getNumber().longValueExact() > atOrBefore) {
      return OptionalLong.empty();
    }
    var canonical =
        call(
                "eth_getBlockByNumber",
                () ->
                    sender
                        .web3j()
                        .ethGetBlockByNumber(
                            DefaultBlockParameter.valueOf(block.getNumber()), false)
                        .send())
            .getBlock();
    if (canonical == null || !hash.toHex().equalsIgnoreCase(canonical.getHash())) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(block.getTimestamp().longValueExact());
  }

  /** The time (seconds since the epoch) of block {@code number}. */
  public long blockTimeAt(long number) {
    var block =
        call(
                "eth_getBlockByNumber",
                () ->
                    sender
                        .web3j()
                        .ethGetBlockByNumber(
                            DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false)
                        .send())
            .getBlock();
    if (block == null) {
      throw new ChainException("block " + number + " is not readable");
    }
    return block.getTimestamp().longValueExact();
  }

  /**
   * Whether the ModelRegistry publishes {@code modelId} with a level that runs in an enclave (what
   * an enclave's manifest may name).
   */
  public boolean publishedForEnclaves(Bytes32 modelId) {
    return ModelRegistryClient.readOnly(sender.web3j(), deployment)
        .terms(modelId)
        .map(t -> t.levels().stream().anyMatch(VerificationLevel::runsInEnclave))
        .orElse(false);
  }

  /** Whether the 48-byte {@code measurement} is on the NodeRegistry's allow-list now. */
  public boolean measurementAllowed(byte[] measurement) {
    return call("measurementStatus", () -> registry.measurementStatus(measurement).send())
        .component1();
  }

  /** The NodeRegistry's EIP-712 domain, in which enclave keys prove possession. */
  public Eip712Domain registryDomain() {
    return deployment.nodeRegistryDomain();
  }

  /**
   * A case as the court reports it, with this round's committee: the court stores only a digest of
   * the committee (what keeps a draw cheap), so the subject, the members, their stakes and the
   * deadline come from the round's {@code CommitteeDrawn} event, in the block {@code getCase}
   * names, and must hash to that digest. A case not drawn (or released) has no committee.
   */
  public CourtCase getCase(BigInteger caseId) {
    VerificationCourt.CaseView v = call("getCase", () -> court.getCase(caseId).send());
    int round = v.round.intValueExact();
    int state = v.state.intValueExact();
    List<CourtCase.Seat> seats = new ArrayList<>();
    long deadline = 0;
    BigInteger validStake = BigInteger.ZERO;
    BigInteger invalidStake = BigInteger.ZERO;
    BigInteger committeeStake = BigInteger.ZERO;
    Bytes32 subject = null;
    if (v.drawBlock.signum() != 0) {
      VerificationCourt.Committee committee =
          drawnCommittee(caseId, round, v.drawBlock.longValueExact(), v.committee);
      deadline = committee.deadline.longValueExact();
      subject = Bytes32.wrap(committee.subject);
      int voted = v.votedMask.intValueExact();
      int valid = v.validMask.intValueExact();
      for (int i = 0; i < committee.members.size(); i++) {
        BigInteger stake = committee.stakes.get(i);
        boolean hasVoted = (voted & (1 << i)) != 0;
        boolean votedValid = (valid & (1 << i)) != 0;
        seats.add(
            new CourtCase.Seat(
                Address.fromHex(committee.members.get(i)), stake, hasVoted, votedValid));
        committeeStake = committeeStake.add(stake);
        if (hasVoted && votedValid) {
          validStake = validStake.add(stake);
        } else if (hasVoted) {
          invalidStake = invalidStake.add(stake);
        }
      }
    }
    return new CourtCase(
        caseId,
        v.requestId,
        v.attempt.intValueExact(),
        Address.fromHex(v.node),
        CourtCase.Kind.of(v.kind.intValueExact()),
        CourtCase.State.of(v.state.intValueExact()),
        v.auditRateBps.intValueExact(),
        v.lotteryResolved,
        v.auditSelected,
        v.seedBlock.longValueExact(),
        round,
        deadline,
        seats,
        validStake,
        invalidStake,
        committeeStake,
        v.quorumBps.intValueExact(),
        Address.fromHex(v.challenger),
        v.bond,
        subject);
  }

  /**
   * Round {@code round}'s committee of {@code caseId} from its {@code CommitteeDrawn} event in
   * block {@code drawBlock}, checked against the court's {@code digest} of it.
   */
  private VerificationCourt.Committee drawnCommittee(
      BigInteger caseId, int round, long drawBlock, byte[] digest) {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(drawBlock)),
            DefaultBlockParameter.valueOf(BigInteger.valueOf(drawBlock)),
            deployment.verificationCourt().toHex());
    filter.addSingleTopic(EventEncoder.encode(VerificationCourt.COMMITTEEDRAWN_EVENT));
    filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(caseId, 64));
    EthLog logs;
    try {
      logs = sender.web3j().ethGetLogs(filter).send();
    } catch (IOException e) {
      throw new ChainException("eth_getLogs failed: " + e.getMessage(), e);
    }
    if (logs.hasError()) {
      throw new ChainException(
          "eth_getLogs of block " + drawBlock + " failed: " + logs.getError().getMessage());
    }
    for (EthLog.LogResult<?> r : logs.getLogs()) {
      var e = VerificationCourt.getCommitteeDrawnEventFromLog((Log) r.get());
      if (e.round.intValueExact() != round) {
        continue;
      }
      VerificationCourt.Committee c =
          new VerificationCourt.Committee(e.subject, e.members, e.stakes, e.deadline);
      if (java.util.Arrays.equals(committeeDigest(c), digest)) {
        return c;
      }
    }
    throw new ChainException(
        "the court's case "
            + caseId
            + " names a committee drawn in block "
            + drawBlock
            + " that no CommitteeDrawn event of that block matches: is the RPC endpoint serving"
            + " logs of that block? (an archive or full node that keeps logs is needed)");
  }

  /**
   * The court's digest of a committee: keccak256(abi.encode(subject, members, stakes, deadline)).
   */
  static byte[] committeeDigest(VerificationCourt.Committee c) {
    String encoded =
        FunctionEncoder.encodeConstructor(
            List.of(
                new org.web3j.abi.datatypes.generated.Bytes32(c.subject),
                new DynamicArray<>(
                    org.web3j.abi.datatypes.Address.class,
                    c.members.stream().map(org.web3j.abi.datatypes.Address::new).toList()),
                new DynamicArray<>(Uint256.class, c.stakes.stream().map(Uint256::new).toList()),
                new Uint64(c.deadline)));
    return Keccak.hash(Numeric.hexStringToByteArray(encoded)).toArray();
  }

  /**
   * {@code c}'s committee as the court takes it with a vote, a relayed verdict or an expiry; an
   * empty one when none is drawn (the court then refuses the move as it would without a committee:
   * NotVoting).
   */
  public static VerificationCourt.Committee committeeOf(CourtCase c) {
    return new VerificationCourt.Committee(
        (c.subject() == null ? Bytes32.ZERO : c.subject()).toArray(),
        c.committee().stream().map(s -> s.member().toHex()).toList(),
        c.committee().stream().map(CourtCase.Seat::stake).toList(),
        BigInteger.valueOf(c.deadline()));
  }

  /** Whether requests made now are routed through the court (enough validators registered). */
  public boolean inSession() {
    return call("inSession", () -> court.inSession().send());
  }

  /**
   * Whether the court holds exactly what its books say: challengers' bonds plus payouts owed (what
   * the demo and operators check after every scenario).
   */
  public boolean isBalanced() {
    return call("isBalanced", () -> court.isBalanced().send());
  }

  /** How long a committee has to reach quorum, in seconds. */
  public long verdictWindowSeconds() {
    return call("verdictWindow", () -> court.verdictWindow().send()).longValueExact();
  }

  /** The latest block number. */
  public long head() {
    try {
      return sender.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    } catch (IOException e) {
      throw new ChainException("eth_blockNumber failed: " + e.getMessage(), e);
    }
  }

  /** The timestamp of the latest block (what the court compares deadlines with). */
  public long headTime() {
    try {
      return sender
          .web3j()
          .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
          .send()
          .getBlock()
          .getTimestamp()
          .longValueExact();
    } catch (IOException e) {
      throw new ChainException("eth_getBlockByNumber failed: " + e.getMessage(), e);
    }
  }

  /** The court's events of blocks {@code from}..{@code to} (inclusive), in chain order. */
  public List<CourtEvent> events(long from, long to) {
    List<CourtEvent> out = new ArrayList<>();
    for (long start = from; start <= to; start += MAX_RANGE) {
      long end = Math.min(to, start + MAX_RANGE - 1);
      EthFilter filter =
          new EthFilter(
              DefaultBlockParameter.valueOf(BigInteger.valueOf(start)),
              DefaultBlockParameter.valueOf(BigInteger.valueOf(end)),
              deployment.verificationCourt().toHex());
      EthLog logs;
      try {
        logs = sender.web3j().ethGetLogs(filter).send();
      } catch (IOException e) {
        throw new ChainException("eth_getLogs failed: " + e.getMessage(), e);
      }
      if (logs.hasError()) {
        throw new ChainException(
            "eth_getLogs [" + start + ", " + end + "] failed: " + logs.getError().getMessage());
      }
      for (EthLog.LogResult<?> r : logs.getLogs()) {
        Log log = (Log) r.get();
        if (log.getTopics().isEmpty()) {
          continue;
        }
        Function<Log, CourtEvent> d =
            decoders.get(log.getTopics().getFirst().toLowerCase(Locale.ROOT));
        if (d != null) {
          out.add(d.apply(log));
        }
      }
    }
    return out;
  }

  // ---- keeper moves ----

  /**
   * Resolves a VANILLA case's audit lottery or draws a committee, when the case waits for one and
   * its seed block is known; returns whether a draw transaction went through. Anyone may call it; a
   * concurrent keeper that was first makes this a no-op.
   */
  public boolean drawIfDue(BigInteger caseId) {
    CourtCase c = getCase(caseId);
    if (c.state() != CourtCase.State.AWAITING_DRAW && c.state() != CourtCase.State.LOTTERY) {
      return false;
    }
    if (head() < c.seedBlock()) {
      return false; // the draw would be mined in the seed block itself or earlier
    }
    try {
      court.draw(caseId).send();
      return true;
    } catch (ContractRevertException e) {
      if (CourtError.SEED_NOT_READY.matches(e) || CourtError.NOTHING_TO_DRAW.matches(e)) {
        return false; // a concurrent keeper was first, or the seed is not mined yet
      }
      throw e;
    } catch (Exception e) {
      throw wrap("draw", e);
    }
  }

  /** Closes a round whose deadline has passed without quorum (redraw or release). */
  public boolean expireIfDue(BigInteger caseId) {
    CourtCase c = getCase(caseId);
    if (c.state() != CourtCase.State.VOTING || headTime() <= c.deadline()) {
      return false;
    }
    try {
      court.expire(caseId, committeeOf(c)).send();
      return true;
    } catch (ContractRevertException e) {
      if (CourtError.VOTING_OPEN.matches(e) || CourtError.NOT_VOTING.matches(e)) {
        return false;
      }
      throw e;
    } catch (Exception e) {
      throw wrap("expire", e);
    }
  }

  // ---- verdicts ----

  /** What the court did with a verdict. */
  public enum VerdictOutcome {
    /** Counted (the transaction went through). */
    COUNTED,
    /** This member's vote is already counted in this case (a resubmission after a restart). */
    ALREADY_COUNTED,
    /** The round is over (deadline passed, decided, redrawn): the verdict no longer counts. */
    TOO_LATE,
    /** The signer does not sit on the case's committee this round. */
    NOT_ON_COMMITTEE,
    /**
     * The verdict names another request or another submission (output and evidence hashes) than the
     * case judges: it was not counted.
     */
    WRONG_SUBJECT
  }

  /** The member's verdict by its own transaction. */
  public VerdictOutcome vote(BigInteger caseId, int round, boolean valid) {
    return verdictTx(() ->
        court.vote(caseId, BigInteger.valueOf(round), valid, committeeOf(getCase(caseId))).send());
  }

  /**
   * Relays a member's signed verdict (the signer need not be this client's account); refused unless
   * it is signed in this court's domain by a member of the case's current committee and names the
   * case's submission.
   */
  public VerdictOutcome submitVerdict(Verdict v, Signature signature) {
    return verdictTx(() ->
        court
            .submitVerdict(onChain(v), signature.toArray(), committeeOf(getCase(v.caseId())))
            .send());
  }

  private static VerificationCourt.Verdict onChain(Verdict v) {
    return new VerificationCourt.Verdict(
        v.caseId(),
        v.requestId(),
        v.outputHash().toArray(),
        v.evidenceHash().toArray(),
        v.valid(),
        BigInteger.valueOf(v.round()));
  }

  private interface Tx {
    Object send() throws Exception;
  }

  private static VerdictOutcome verdictTx(Tx tx) {
    try {
      tx.send();
      return VerdictOutcome.COUNTED;
    } catch (ContractRevertException e) {
      return outcomeOf(e);
    } catch (Exception e) {
      throw wrap("verdict", e);
    }
  }

  private static VerdictOutcome outcomeOf(ContractRevertException e) {
    return switch (CourtError.of(e).orElseThrow(() -> e)) {
      case ALREADY_VOTED -> VerdictOutcome.ALREADY_COUNTED;
      // a committee that no longer matches: the round moved on between reading and sending
      case NOT_VOTING, VOTING_CLOSED, STALE_ROUND, WRONG_COMMITTEE -> VerdictOutcome.TOO_LATE;
      case NOT_ON_COMMITTEE -> VerdictOutcome.NOT_ON_COMMITTEE;
      case VERDICT_MISMATCH, VERDICT_SUBJECT_MISMATCH -> VerdictOutcome.WRONG_SUBJECT;
      default -> throw e;
    };
  }

  // ---- the same moves without waiting for their block ----
  // For a validator that reacts to every block: it sends, goes on with its other cases, and reads
  // the outcome from the receipt on a later block (the court's events say whether a draw landed).

  /**
   * Sends the draw of {@code c} when it is due with {@code head} the latest block (a draw or
   * lottery awaited, its seed block mined, so that the draw lands in a later block) and the court
   * would accept it (tried first with {@code eth_call} on the pending block: a case another keeper
   * has drawn already sends nothing; two keepers sending in the same block still race, and the
   * second one's draw reverts harmlessly); does not wait for it to be mined. Returns the
   * transaction's hash.
   */
  public Optional<String> sendDrawIfDue(CourtCase c, long head) {
    if (c.state() != CourtCase.State.AWAITING_DRAW && c.state() != CourtCase.State.LOTTERY) {
      return Optional.empty();
    }
    if (head < c.seedBlock()) {
      return Optional.empty();
    }
    String data = court.draw(c.caseId()).encodeFunctionCall();
    try {
      sender.sendCall(
          deployment.verificationCourt().toHex(), data, DefaultBlockParameterName.PENDING);
    } catch (ContractRevertException e) {
      if (CourtError.SEED_NOT_READY.matches(e) || CourtError.NOTHING_TO_DRAW.matches(e)) {
        return Optional.empty();
      }
      throw e;
    }
    return Optional.of(submit(data));
  }

  /**
   * Sends the expiry of {@code c}'s round when its deadline is before {@code headTime} (the latest
   * block's time), without waiting for it to be mined; returns the transaction's hash.
   */
  public Optional<String> sendExpireIfDue(CourtCase c, long headTime) {
    if (c.state() != CourtCase.State.VOTING || headTime <= c.deadline()) {
      return Optional.empty();
    }
    return Optional.of(submit(court.expire(c.caseId(), committeeOf(c)).encodeFunctionCall()));
  }

  /**
   * Relays a member's signed verdict as {@link #submitVerdict} does, without waiting for it to be
   * mined; {@link #verdictOutcome} reads what the court did once it is. Returns the hash.
   */
  public String sendVerdict(Verdict v, Signature signature) {
    return sendVerdict(v, signature, getCase(v.caseId()));
  }

  /** {@link #sendVerdict} with the case as already read ({@code c}: its committee is passed). */
  public String sendVerdict(Verdict v, Signature signature, CourtCase c) {
    return submit(
        court.submitVerdict(onChain(v), signature.toArray(), committeeOf(c)).encodeFunctionCall());
  }

  /** What the court did with a verdict sent by {@link #sendVerdict}; empty until it is mined. */
  public Optional<VerdictOutcome> verdictOutcome(String txHash) {
    try {
      return sender.receiptIfMined(txHash).map(r -> VerdictOutcome.COUNTED);
    } catch (ContractRevertException e) {
      return Optional.of(outcomeOf(e));
    }
  }

  /** What a challenger puts up: the court's challengeBond, in wei. */
  public BigInteger challengeBondWei() {
    return call("challengeBond", () -> court.challengeBond().send());
  }

  /**
   * Challenges {@code c}, a VANILLA result the audit lottery did not select, with the court's bond,
   * when the court would take the challenge now (tried with a call first: a challenge the court
   * refuses — the window closed, challenged already, selected for audit after all — is not sent and
   * costs nothing); does not wait for it to be mined. Returns the transaction's hash.
   */
  public Optional<String> sendChallengeIfOpen(CourtCase c, BigInteger bondWei) {
    String data = court.challenge(c.caseId(), bondWei).encodeFunctionCall();
    try {
      sender.callWithValue(
          deployment.verificationCourt().toHex(), data, bondWei, DefaultBlockParameterName.PENDING);
    } catch (ContractRevertException e) {
      if (CourtError.NOT_CHALLENGEABLE.matches(e)
          || CourtError.CHALLENGE_WINDOW_CLOSED.matches(e)
          || CourtError.SELECTED_FOR_AUDIT.matches(e)) {
        return Optional.empty();
      }
      throw e;
    }
    return Optional.of(
        sender.submit(
            deployment.verificationCourt(), Hex.decode(data), bondWei, GasLimits.DEFAULT.limit()));
  }

  private String submit(String data) {
    return sender.submit(
        deployment.verificationCourt(),
        Hex.decode(data),
        BigInteger.ZERO,
        GasLimits.DEFAULT.limit());
  }

  // ---- the validator's registration ----

  /** Whether {@code a} is in the validator pool (registered, not leaving, stake ≥ minimum). */
  public boolean isActiveValidator(Address a) {
    return call("isActiveValidator", () -> registry.isActiveValidator(a.toHex()).send());
  }

  /**
   * Registers this account in the validator role only, with {@code stakeWei}; a no-op when it is
   * registered already (roles are fixed at registration: a node in both roles registers through the
   * node's registration with {@link #ROLE_INFERENCE} | {@link #ROLE_VALIDATOR}).
   */
  public void registerValidator(String endpoint, BigInteger stakeWei) {
    boolean registered =
        call("isRegistered", () -> registry.isRegistered(sender.address().toHex()).send());
    if (registered) {
      return;
    }
    call(
        "register",
        () ->
            registry
                .register(
                    BigInteger.valueOf(ROLE_VALIDATOR),
                    endpoint,
                    BigInteger.ZERO,
                    BigInteger.ZERO,
                    List.of(),
                    stakeWei)
                .send());
  }

  // ---- what a validator reads besides the court ----

  /** The endpoint {@code node} registered (where it serves its ZKML proofs). */
  public String nodeEndpoint(Address node) {
    return call("nodeInfo", () -> registry.nodeInfo(node.toHex()).send()).endpoint;
  }

  /** Whether {@code node} is registered (not necessarily bonded). */
  public boolean isRegistered(Address node) {
    return call("isRegistered", () -> registry.isRegistered(node.toHex()).send());
  }

  /**
   * The tolerance rule of a model's VANILLA audits as the ModelRegistry records it (byte 0 the
   * rule, bytes 1..4 its ε; see ModelRegistry.DEFAULT_TOLERANCE).
   */
  public Bytes32 toleranceOf(Bytes32 modelId) {
    var terms =
        call(
            "auditTermsOf",
            () -> deployment.modelRegistry(sender).auditTermsOf(modelId.toArray()).send());
    return Bytes32.wrap(terms.component2());
  }

  // ---- plumbing ----

  private interface Call<T> {
    T get() throws Exception;
  }

  private static <T> T call(String what, Call<T> c) {
    try {
      return c.get();
    } catch (Exception e) {
      throw wrap(what, e);
    }
  }

  private static ChainException wrap(String what, Exception e) {
    if (e instanceof ChainException c) {
      return c;
    }
    return new ChainException("court " + what + " failed: " + e.getMessage(), e);
  }

  private static String topic(Event e) {
    return EventEncoder.encode(e).toLowerCase(Locale.ROOT);
  }

  private static long block(Log log) {
    return log.getBlockNumber().longValueExact();
  }

  private static CourtEvent caseOpened(Log log) {
    var e = VerificationCourt.getCaseOpenedEventFromLog(log);
    return new CourtEvent.CaseOpened(
        block(log),
        e.caseId,
        e.requestId,
        Address.fromHex(e.node),
        CourtCase.Kind.of(e.kind.intValueExact()),
        CourtCase.State.of(e.state.intValueExact()),
        e.seedBlock.longValueExact());
  }

  private static CourtEvent keyApprovalOpened(Log log) {
    var e = VerificationCourt.getKeyApprovalOpenedEventFromLog(log);
    return new CourtEvent.KeyApprovalOpened(
        block(log),
        e.caseId,
        Address.fromHex(e.node),
        Address.fromHex(e.enclaveKey),
        Bytes32.wrap(e.attestationDocHash));
  }

  private static CourtEvent committeeDrawn(Log log) {
    var e = VerificationCourt.getCommitteeDrawnEventFromLog(log);
    return new CourtEvent.CommitteeDrawn(
        block(log),
        e.caseId,
        e.round.intValueExact(),
        e.members.stream().map(Address::fromHex).toList(),
        e.deadline.longValueExact());
  }

  private static CourtEvent roundExpired(Log log) {
    var e = VerificationCourt.getRoundExpiredEventFromLog(log);
    return new CourtEvent.RoundExpired(block(log), e.caseId, e.round.intValueExact(), e.redraw);
  }

  private static CourtEvent challenged(Log log) {
    var e = VerificationCourt.getChallengedEventFromLog(log);
    return new CourtEvent.Challenged(block(log), e.caseId, Address.fromHex(e.challenger));
  }

  private static CourtEvent seedRearmed(Log log) {
    var e = VerificationCourt.getSeedRearmedEventFromLog(log);
    return new CourtEvent.SeedRearmed(block(log), e.caseId, e.seedBlock.longValueExact());
  }
}
