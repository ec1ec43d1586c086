import {
  ManagementClusterUnavailableError,
  NotFoundError,
  UnknownManagementClusterError,
} from '../../resolvers/errors.ts';
import { builder } from '../builder.ts';

const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  fields: (t) => ({ message: t.exposeString('message') }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ what: t.exposeString('what') }),
});

builder.objectType(ManagementClusterUnavailableError, {
  name: 'ManagementClusterUnavailableError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ managementCluster: t.exposeString('managementCluster') }),
});

builder.objectType(UnknownManagementClusterError, {
  name: 'UnknownManagementClusterError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ managementCluster: t.exposeString('managementCluster') }),
});
