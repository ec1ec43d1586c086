import { machineEvents, type MachineEvent, type Streamed } from '../../resolvers/cluster-streams.ts';
import { builder } from '../builder.ts';
import { MachineRef } from '../refs.ts';

const MachineEventTypeEnum = builder.enumType('MachineEventType', {
  values: ['ADDED', 'MODIFIED', 'DELETED'] as const,
});

const MachineEventRef = builder.objectRef<MachineEvent>('MachineEvent').implement({
  fields: (t) => ({
    type: t.field({ type: MachineEventTypeEnum, resolve: (e) => e.type }),
    previous: t.field({ type: MachineRef, nullable: true, resolve: (e) => e.previous }),
    current: t.field({ type: MachineRef, nullable: true, resolve: (e) => e.current }),
  }),
});

builder.subscriptionFields((t) => ({
  machineEvents: t.field({
    type: MachineEventRef,
    nullable: true,
    description:
      'Transitions of the cluster’s Machines (phase, node, conditions, version): previous and current.',
    args: { clusterId: t.arg.id({ required: true }) },
    subscribe: (_root, args, ctx) => machineEvents(ctx, String(args.clusterId)),
    resolve: (value) => {
      const s = value as unknown as Streamed<MachineEvent>;
      if (!s.ok) throw s.error;
      return s.value;
    },
  }),
}));
