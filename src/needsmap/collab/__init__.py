"""collab"""
