package io.vouch.hub.store;

import io.vouch.hub.cid.Cid;

class InMemoryContentStoreTest extends ContentStoreContract {

  @Override
  ContentStore newStore() {
    return new InMemoryContentStore();
  }

  @Override
  void corrupt(ContentStore store, Cid cid, byte[] wrongBytes) {
    ((InMemoryContentStore) store).replaceBytesUnchecked(cid, wrongBytes);
  }
}
