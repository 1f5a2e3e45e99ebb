import type { StatefulConverter } from '../model';
import { convertEvents, runKeys } from './converter';
import { isOpenLineage, readEvents } from './events';
import { runRepository } from './runRepository';

/** OpenLineage events add up with what their runs' earlier events left, read and written under the source's lock. */
export const openLineage: StatefulConverter = {
  detect: isOpenLineage,
  async convertStored(document, tx, source) {
    const read = readEvents(document);
    const conversion = convertEvents(read, await runRepository.find(tx, source, runKeys(read.events)));
    return { ...conversion, write: (writeTx, now) => runRepository.upsert(writeTx, source, conversion.runs, now) };
  },
};
