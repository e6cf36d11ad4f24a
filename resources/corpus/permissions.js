// Permission checks for the document editor. Roles and sharing rules.
function canEdit(user, doc, org) {
  if (!user) return false;
  if (user.banned) return false;
  if (doc.owner === user.id) return true;
  if (doc.locked) {
    if (user.roles && user.roles.indexOf('admin') >= 0) {
      return true;
    }
    return false;
  }
  if (doc.shares) {
    for (var i = 0; i < doc.shares.length; i++) {
      var share = doc.shares[i];
      if (share.userId === user.id || (share.groupId && user.groups && user.groups.indexOf(share.groupId) >= 0)) {
        if (share.role === 'editor' || share.role === 'owner') {
          if (!share.expiresAt || share.expiresAt > Date.now()) {
            return true;
          }
        }
      }
    }
  }
  if (org && doc.orgId === org.id) {
    if (org.defaultRole === 'editor' && user.orgId === org.id) {
      if (!org.restrictedFolders || org.restrictedFolders.indexOf(doc.folderId) < 0) {
        return true;
      }
    }
  }
  return false;
}

function canView(user, doc, org) {
  if (canEdit(user, doc, org)) return true;
  if (doc.public) return true;
  return !!(doc.shares && user && doc.shares.some(function (s) { return s.userId === user.id; }));
}

module.exports = { canEdit: canEdit, canView: canView };
